import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import router from '@adonisjs/core/services/router'
import { historyService } from '#modules/dossier/index'
import type { ComputedLine } from '#modules/billing/services/invoice_lines'
import { monthLabel } from '#modules/billing/services/billing_month'
import { formatMoney } from '#core/format'
import { de } from '#core/french'
import { dbTimeOf } from '#core/db_time'
import { chunks } from '#core/chunks'
import { reserveNumbers } from '#modules/billing/services/invoice_numbers'
import { creditorId, debitDay } from '#modules/billing/config/sepa'
import { debitDateFor } from '#modules/billing/services/sepa/debit_schedule'

/** A family's invoice computed, waiting to be written with its batch. */
export interface PendingInvoice {
  familyId: number
  totalCents: number
  lines: ComputedLine[]
  familyQuotient: number | null
  familyName: string
  familyAddress: string | null
}

/** What every invoice of a run shares. */
export interface RunDates {
  month: string
  year: number
  issuedOn: string
  dueDate: string
}

export interface WrittenInvoice {
  item: PendingInvoice
  id: number
  number: string
  /** The day it is debited, when its family has an active SEPA mandate (the pre-notification). */
  debitOn: string | null
}

/** The active mandate of each family, when the commune offers direct debit (an ICS is configured). */
async function activeMandates(trx: TransactionClientContract, familyIds: number[]): Promise<Map<number, number>> {
  if (!creditorId() || !familyIds.length) return new Map()
  const rows = await trx.from('sepa_mandates').whereIn('family_id', familyIds).where('status', 'active').select('id', 'family_id')
  return new Map(rows.map((row) => [Number(row.family_id), Number(row.id)]))
}

/** Writes invoices, their lines and history lines in the caller's transaction, numbered in a row. */
export async function writeInvoices(trx: TransactionClientContract, items: PendingInvoice[], context: RunDates): Promise<WrittenInvoice[]> {
  const { month, year, issuedOn, dueDate } = context
  const first = await reserveNumbers(trx, 'invoice', year, items.length)
  const createdAt = dbTimeOf(trx)
  const written: WrittenInvoice[] = []
  const lineRows: Record<string, unknown>[] = []
  const mandates = await activeMandates(trx, items.map((item) => item.familyId))
  const plannedDebitOn = debitDateFor(issuedOn, debitDay())
  for (const [index, item] of items.entries()) {
    const sequence = first + index
    const number = `${year}-${String(sequence).padStart(6, '0')}`
    const mandateId = mandates.get(item.familyId) ?? null
    const debitOn = mandateId ? plannedDebitOn : null
    const inserted = await trx
      .table('invoices')
      .insert({
        family_id: item.familyId,
        month,
        number,
        year,
        sequence,
        issued_on: issuedOn,
        // Never late before its debit: due on the debit day when that comes after the usual date.
        due_date: debitOn && debitOn > dueDate ? debitOn : dueDate,
        total_cents: item.totalCents,
        credited_cents: 0,
        paid_cents: 0,
        status: 'open',
        family_quotient: item.familyQuotient,
        family_name: item.familyName,
        family_address: item.familyAddress,
        debit_mandate_id: mandateId,
        debit_on: debitOn,
        created_at: createdAt,
      })
      .returning('id')
    const id = Number(typeof inserted[0] === 'object' ? (inserted[0] as any).id : inserted[0])
    item.lines.forEach((line, position) =>
      lineRows.push({
        invoice_id: id,
        position: position + 1,
        kind: line.kind,
        child_id: line.childId,
        child_name: line.childName,
        activity_id: line.activityId,
        activity_name: line.activityName,
        label: line.label.slice(0, 300),
        unit: line.unit,
        quantity: line.quantity,
        unit_price_cents: line.unitPriceCents,
        total_cents: line.totalCents,
      })
    )
    await historyService.record(
      item.familyId,
      {
        module: 'billing',
        kind: 'invoice-issued',
        text: debitOn
          ? `Facture n° ${number} ${de(monthLabel(month))} : ${formatMoney(item.totalCents)}, prélevée le ${DateTime.fromISO(debitOn).toFormat('dd/MM/yyyy')} (prélèvement automatique)`
          : `Facture n° ${number} ${de(monthLabel(month))} : ${formatMoney(item.totalCents)}, à payer avant le ${DateTime.fromISO(dueDate).toFormat('dd/MM/yyyy')}`,
        link: router.makeUrl('billing.invoices.show', { id }),
      },
      trx
    )
    written.push({ item, id, number, debitOn })
  }
  for (const rows of chunks(lineRows, 500)) await trx.table('invoice_lines').multiInsert(rows)
  return written
}

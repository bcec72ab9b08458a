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
}

/** Writes invoices, their lines and history lines in the caller's transaction, numbered in a row. */
export async function writeInvoices(trx: TransactionClientContract, items: PendingInvoice[], context: RunDates): Promise<WrittenInvoice[]> {
  const { month, year, issuedOn, dueDate } = context
  const first = await reserveNumbers(trx, 'invoice', year, items.length)
  const createdAt = dbTimeOf(trx)
  const written: WrittenInvoice[] = []
  const lineRows: Record<string, unknown>[] = []
  for (const [index, item] of items.entries()) {
    const sequence = first + index
    const number = `${year}-${String(sequence).padStart(6, '0')}`
    const inserted = await trx
      .table('invoices')
      .insert({
        family_id: item.familyId,
        month,
        number,
        year,
        sequence,
        issued_on: issuedOn,
        due_date: dueDate,
        total_cents: item.totalCents,
        credited_cents: 0,
        paid_cents: 0,
        status: 'open',
        family_quotient: item.familyQuotient,
        family_name: item.familyName,
        family_address: item.familyAddress,
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
        text: `Facture n° ${number} ${de(monthLabel(month))} : ${formatMoney(item.totalCents)}, à payer avant le ${DateTime.fromISO(dueDate).toFormat('dd/MM/yyyy')}`,
        link: router.makeUrl('billing.invoices.show', { id }),
      },
      trx
    )
    written.push({ item, id, number })
  }
  for (const rows of chunks(lineRows, 500)) await trx.table('invoice_lines').multiInsert(rows)
  return written
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { historyService } from '#modules/dossier/index'
import { Activity } from '#modules/inscriptions/index'
import tariffService, { todayInParis } from '#modules/billing/services/tariff_service'
import { computeInvoice, type ChildFacts, type ComputedLine } from '#modules/billing/services/invoice_lines'
import { isMonth, type BillingSource, type BookedDay, type RegistrationFee } from '#modules/billing/services/billing_source'
import { formatMoney } from '#core/format'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import type { Regime } from '#modules/billing/services/tariff_engine'
import audit from '#services/audit_service'
import type { InvoiceIssued } from '#modules/billing/events'
import { de } from '#core/french'
import { isUniqueViolation } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'

import { BillingError, MonthNotEndedError, type Actor } from '#modules/billing/services/billing_error'
import { dueDateFor, monthLabel, monthNotEnded } from '#modules/billing/services/billing_month'
import router from '@adonisjs/core/services/router'

const BATCH_SIZE = 100

interface PendingInvoice {
  familyId: number
  totalCents: number
  lines: ComputedLine[]
  familyQuotient: number | null
  familyName: string
  familyAddress: string | null
}

export interface RunSummary {
  month: string
  created: number
  alreadyIssued: number
  withoutAmount: number
  totalCents: number
  problems: { familyId: number; message: string }[]
  invoiceIds: number[]
}

interface FamilyRow {
  id: number
  reference: string
  familyQuotient: number | null
  resident: boolean
  regime: Regime
  address: string | null
  postalCode: string | null
  city: string | null
}

interface GuardianRow {
  firstName: string
  lastName: string
  position: number
}

function familyLabel(guardians: GuardianRow[], family: FamilyRow) {
  const first = [...guardians].sort((a, b) => a.position - b.position)
  if (!first.length) return `Famille ${family.reference}`
  return first.map((guardian) => `${guardian.firstName} ${guardian.lastName.toLocaleUpperCase('fr-FR')}`).join(' et ')
}

function addressOf(family: FamilyRow) {
  return [family.address, [family.postalCode, family.city].filter(Boolean).join(' ')].filter(Boolean).join('\n') || null
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size))
  return out
}

/** The monthly run: every family's invoice for a month, in batches, once. */
class InvoiceGeneration {
  /**
   * Issues each family's invoice for a month. Families already invoiced that month are left
   * alone (unique family × month): running twice changes nothing.
   */
  async generateMonth(
    month: string,
    source: BillingSource,
    options: {
      actor?: Actor | null
      issuedOn?: string
      /** Bill a month that has not ended yet (days still to come are billed as booked). */
      force?: boolean
      onFamilies?: (count: number) => void
      onProgress?: () => void
    } = {}
  ): Promise<RunSummary> {
    if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} » (format attendu AAAA-MM).`)
    const notEnded = options.force ? null : monthNotEnded(month)
    if (notEnded) throw new MonthNotEndedError(notEnded)
    const issuedOn = options.issuedOn ?? todayInParis()
    const year = Number(issuedOn.slice(0, 4))
    const dueDate = dueDateFor(month)
    const [days, fees] = await Promise.all([source.bookedDays(month), source.registrationFees(month)])

    const daysByFamily = new Map<number, BookedDay[]>()
    for (const day of days) {
      const list = daysByFamily.get(day.familyId) ?? []
      list.push(day)
      daysByFamily.set(day.familyId, list)
    }
    const feesByFamily = new Map<number, RegistrationFee[]>()
    for (const fee of fees) {
      const list = feesByFamily.get(fee.familyId) ?? []
      list.push(fee)
      feesByFamily.set(fee.familyId, list)
    }
    const familyIds = [...new Set([...daysByFamily.keys(), ...feesByFamily.keys()])].sort((a, b) => a - b)
    options.onFamilies?.(familyIds.length)

    const summary: RunSummary = {
      month,
      created: 0,
      alreadyIssued: 0,
      withoutAmount: 0,
      totalCents: 0,
      problems: [],
      invoiceIds: [],
    }
    const activityIds = [...new Set([...days.map((d) => d.activityId), ...fees.map((f) => f.activityId)])]
    const book = await tariffService.book(activityIds)
    const activityNames = new Map<number, string>()
    for (const chunk of chunks(activityIds, 500)) {
      for (const activity of await Activity.query().whereIn('id', chunk).select('id', 'name')) activityNames.set(activity.id, activity.name)
    }
    const issued = new Set<number>()
    for (const chunk of chunks(familyIds, 500)) {
      const rows = await db.from('invoices').where('month', month).whereIn('family_id', chunk).select('family_id')
      for (const row of rows) issued.add(Number(row.family_id))
    }

    // Invoices are written by batches, each in one transaction with its block of numbers; when
    // another run got there first (unique family × month), the batch rolls back (numbers
    // included) and its families are taken one by one.
    const pending: PendingInvoice[] = []
    const context = { month, year, issuedOn, dueDate }
    const flush = async () => {
      if (!pending.length) return
      const batch = pending.splice(0, pending.length)
      let written: { item: PendingInvoice; id: number; number: string }[] = []
      const started = Date.now()
      const write = (items: PendingInvoice[]) => retryWhenBusy(() => db.transaction((trx) => this.persist(trx, items, context)))
      try {
        written = await write(batch)
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        for (const item of batch) {
          try {
            written.push(...(await write([item])))
          } catch (single) {
            if (!isUniqueViolation(single)) throw single
            summary.alreadyIssued++
          }
        }
      }
      await yieldWriteLock(db.connection().dialect.name, Date.now() - started)
      for (const { item, id, number } of written) {
        summary.created++
        summary.totalCents += item.totalCents
        summary.invoiceIds.push(id)
        const payload: InvoiceIssued = { familyId: item.familyId, invoiceId: id, invoiceNumber: number, totalCents: item.totalCents, dueDate, month }
        await emitter.emit('billing:invoice-issued', payload)
      }
    }

    for (const ids of chunks(familyIds, 200)) {
      // Plain rows rather than models: a run reads thousands of families.
      const families = new Map<number, FamilyRow>()
      for (const row of await db
        .from('families')
        .whereIn('id', ids)
        .select('id', 'reference', 'family_quotient', 'resident', 'regime', 'address', 'postal_code', 'city')) {
        families.set(Number(row.id), {
          id: Number(row.id),
          reference: row.reference,
          familyQuotient: row.family_quotient === null ? null : Number(row.family_quotient),
          resident: Boolean(row.resident),
          regime: row.regime,
          address: row.address,
          postalCode: row.postal_code,
          city: row.city,
        })
      }
      const childrenByFamily = new Map<number, ChildFacts[]>()
      for (const row of await db.from('children').whereIn('family_id', ids).select('id', 'family_id', 'first_name', 'birth_date')) {
        const list = childrenByFamily.get(Number(row.family_id)) ?? []
        list.push({ id: Number(row.id), firstName: row.first_name, birthDate: row.birth_date })
        childrenByFamily.set(Number(row.family_id), list)
      }
      const guardiansByFamily = new Map<number, GuardianRow[]>()
      for (const row of await db.from('guardians').whereIn('family_id', ids).select('family_id', 'first_name', 'last_name', 'position')) {
        const list = guardiansByFamily.get(Number(row.family_id)) ?? []
        list.push({ firstName: row.first_name, lastName: row.last_name, position: Number(row.position) })
        guardiansByFamily.set(Number(row.family_id), list)
      }

      for (const familyId of ids) {
        options.onProgress?.()
        if (issued.has(familyId)) {
          summary.alreadyIssued++
          continue
        }
        const family = families.get(familyId)
        if (!family) {
          summary.problems.push({ familyId, message: 'Famille introuvable.' })
          continue
        }
        const computed = computeInvoice({
          family: {
            id: family.id,
            familyQuotient: family.familyQuotient,
            resident: family.resident,
            regime: family.regime,
          },
          children: childrenByFamily.get(familyId) ?? [],
          days: daysByFamily.get(familyId) ?? [],
          fees: feesByFamily.get(familyId) ?? [],
          activityNames,
          tariffOn: (activityId, day) => book.on(activityId, day)?.rule ?? null,
        })
        if (computed.problems.length) {
          for (const message of computed.problems) summary.problems.push({ familyId, message })
          continue
        }
        if (computed.totalCents <= 0) {
          summary.withoutAmount++
          continue
        }
        pending.push({
          familyId,
          totalCents: computed.totalCents,
          lines: computed.lines,
          familyQuotient: family.familyQuotient,
          familyName: familyLabel(guardiansByFamily.get(familyId) ?? [], family),
          familyAddress: addressOf(family),
        })
        if (pending.length >= BATCH_SIZE) await flush()
      }
    }
    await flush()

    await audit.record({
      actor: options.actor ?? null,
      action: 'billing.month.generated',
      subjectType: 'billing_month',
      subjectId: month,
      details: {
        created: summary.created,
        alreadyIssued: summary.alreadyIssued,
        totalCents: summary.totalCents,
        problems: summary.problems.length,
      },
    })
    return summary
  }

  /** Writes invoices, their lines and history lines in the caller's transaction, numbered in a row. */
  private async persist(
    trx: TransactionClientContract,
    items: PendingInvoice[],
    context: { month: string; year: number; issuedOn: string; dueDate: string }
  ) {
    const { month, year, issuedOn, dueDate } = context
    await trx.table('invoice_sequences').insert({ kind: 'invoice', year, last: 0 }).knexQuery.onConflict(['kind', 'year']).ignore()
    await trx.rawQuery('UPDATE invoice_sequences SET last = last + ? WHERE kind = ? AND year = ?', [items.length, 'invoice', year])
    const row = await trx.from('invoice_sequences').where({ kind: 'invoice', year }).select('last').firstOrFail()
    const first = Number(row.last) - items.length + 1
    const createdAt = dbTimeOf(trx)
    const written: { item: PendingInvoice; id: number; number: string }[] = []
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
}

const invoiceGeneration = new InvoiceGeneration()
export default invoiceGeneration

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { historyService } from '#modules/dossier/index'
import { Activity } from '#modules/inscriptions/index'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment, { type PaymentMethod } from '#modules/billing/models/payment'
import tariffService, { todayInParis } from '#modules/billing/services/tariff_service'
import { computeInvoice, type ChildFacts, type ComputedLine } from '#modules/billing/services/invoice_lines'
import { isMonth, type BillingSource, type BookedDay, type RegistrationFee } from '#modules/billing/services/billing_source'
import { formatMoney } from '#core/format'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import type { Regime } from '#modules/billing/services/tariff_engine'
import audit from '#services/audit_service'
import type { InvoiceIssued, PaymentReceived } from '#modules/billing/events'
import { de } from '#core/french'
import { affectedRows, isUniqueViolation } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'

export class BillingError extends Error {}
export class MonthNotEndedError extends BillingError {}

const BATCH_SIZE = 100

interface PendingInvoice {
  familyId: number
  totalCents: number
  lines: ComputedLine[]
  familyQuotient: number | null
  familyName: string
  familyAddress: string | null
}

export interface Actor {
  id: number
  fullName: string
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

export function monthLabel(month: string) {
  return DateTime.fromISO(`${month}-01`).setLocale('fr').toFormat('LLLL yyyy')
}

/** A month ends after its last day (Europe/Paris): it can be billed from the 1st of the next one. */
export function firstBillingDay(month: string) {
  return DateTime.fromISO(`${month}-01`, { zone: 'Europe/Paris' }).plus({ months: 1 }).toISODate()!
}

/** Why a month cannot be billed yet, or null once it has ended. */
export function monthNotEnded(month: string, today: string = todayInParis()): string | null {
  const first = firstBillingDay(month)
  if (today >= first) return null
  return `Le mois de ${monthLabel(month)} n’est pas terminé : ses factures pourront être émises à partir du 1er ${monthLabel(first.slice(0, 7))}.`
}

/** Due at the end of the month following the billed one. */
export function dueDateFor(month: string) {
  return DateTime.fromISO(`${month}-01`).plus({ months: 1 }).endOf('month').toISODate()!
}


/** Takes the next number of a yearly counter inside the caller's transaction (no gap: a rollback gives it back). */
export async function nextNumber(trx: TransactionClientContract, kind: 'invoice' | 'credit', year: number): Promise<number> {
  await trx.table('invoice_sequences').insert({ kind, year, last: 0 }).knexQuery.onConflict(['kind', 'year']).ignore()
  await trx.rawQuery('UPDATE invoice_sequences SET last = last + 1 WHERE kind = ? AND year = ?', [kind, year])
  const row = await trx.from('invoice_sequences').where({ kind, year }).select('last').firstOrFail()
  return Number(row.last)
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

class InvoiceService {
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
          link: `/facturation/${id}`,
        },
        trx
      )
      written.push({ item, id, number })
    }
    for (const rows of chunks(lineRows, 500)) await trx.table('invoice_lines').multiInsert(rows)
    return written
  }

  /** A credit note (avoir) on an invoice, with its reason; never more than what is left to credit. */
  async issueCreditNote(invoiceId: number, amountCents: number, reason: string, actor: Actor) {
    if (!Number.isInteger(amountCents) || amountCents <= 0) throw new BillingError('Le montant de l’avoir doit être positif.')
    const text = reason.trim()
    if (text.length < 3) throw new BillingError('Indiquez le motif de l’avoir.')
    const result = await db.transaction(async (trx) => {
      const invoice = await Invoice.query({ client: trx }).where('id', invoiceId).firstOrFail()
      const year = Number(todayInParis().slice(0, 4))
      // Conditional: the credit never goes beyond the invoice's total (CHECK as a second guard).
      const affected = await trx
        .from('invoices')
        .where('id', invoiceId)
        .whereRaw('credited_cents + ? <= total_cents', [amountCents])
        .update({
          credited_cents: trx.knexRawQuery('credited_cents + ?', [amountCents]),
          status: trx.knexRawQuery("CASE WHEN total_cents - (credited_cents + ?) - paid_cents <= 0 THEN 'paid' ELSE status END", [amountCents]),
        })
      if (affectedRows(affected) !== 1) {
        throw new BillingError(
          `L’avoir dépasse le montant restant de la facture (${formatMoney(invoice.totalCents - invoice.creditedCents)} au plus).`
        )
      }
      const sequence = await nextNumber(trx, 'credit', year)
      const number = `AV${year}-${String(sequence).padStart(6, '0')}`
      const note = await CreditNote.create(
        {
          invoiceId,
          familyId: invoice.familyId,
          number,
          amountCents,
          reason: text.slice(0, 500),
          createdBy: actor.id,
        },
        { client: trx }
      )
      await historyService.record(
        invoice.familyId,
        {
          module: 'billing',
          kind: 'credit-note',
          text: `Avoir n° ${number} sur la facture n° ${invoice.number} : ${formatMoney(amountCents)} (${text})`,
          link: `/facturation/${invoiceId}`,
        },
        trx
      )
      await audit.record(
        {
          actor,
          action: 'billing.credit_note.issued',
          subjectType: 'invoice',
          subjectId: invoiceId,
          details: { number, amountCents, reason: text },
        },
        trx
      )
      return { note, invoice }
    })
    await emitter.emit('billing:credit-note-issued', {
      familyId: result.invoice.familyId,
      invoiceId,
      invoiceNumber: result.invoice.number,
      creditNoteNumber: result.note.number,
      amountCents,
      reason: text,
    })
    return result.note
  }

  /**
   * Records money received for an invoice inside the caller's transaction: the payment row and
   * the invoice's paid amount move together; 'paid' only once nothing is left.
   */
  async applyPayment(
    trx: TransactionClientContract,
    invoice: { id: number; familyId: number; number: string },
    payment: {
      method: PaymentMethod
      amountCents: number
      idOp?: string | null
      receiptNumber?: string | null
      paidOn?: string
      recordedBy?: number | null
    },
    options: { withinBalance?: boolean } = {}
  ): Promise<PaymentReceived | null> {
    // Counter payments never exceed what is left (one conditional UPDATE); online payments
    // are recorded as PayFiP took them.
    const update = trx.from('invoices').where('id', invoice.id)
    if (options.withinBalance) update.whereRaw('total_cents - credited_cents - paid_cents >= ?', [payment.amountCents])
    const changed = await update.update({
      paid_cents: trx.knexRawQuery('paid_cents + ?', [payment.amountCents]),
      status: trx.knexRawQuery("CASE WHEN total_cents - credited_cents - (paid_cents + ?) <= 0 THEN 'paid' ELSE 'open' END", [payment.amountCents]),
      paid_at: trx.knexRawQuery('CASE WHEN total_cents - credited_cents - (paid_cents + ?) <= 0 THEN ? ELSE paid_at END', [
        payment.amountCents,
        dbTimeOf(trx),
      ]),
    })
    if (affectedRows(changed) !== 1) return null
    await trx.table('payments').insert({
      invoice_id: invoice.id,
      family_id: invoice.familyId,
      method: payment.method,
      amount_cents: payment.amountCents,
      id_op: payment.idOp ?? null,
      receipt_number: payment.receiptNumber ?? null,
      paid_on: payment.paidOn ?? todayInParis(),
      recorded_by: payment.recordedBy ?? null,
      created_at: dbTimeOf(trx),
    })
    const fresh = await Invoice.query({ client: trx }).where('id', invoice.id).firstOrFail()
    await historyService.record(
      invoice.familyId,
      {
        module: 'billing',
        kind: 'payment',
        text: `Paiement de ${formatMoney(payment.amountCents)} reçu pour la facture n° ${invoice.number}${fresh.balanceCents === 0 ? ' : facture payée' : ''}`,
        link: `/facturation/${invoice.id}`,
      },
      trx
    )
    const event: PaymentReceived = {
      familyId: invoice.familyId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amountCents: payment.amountCents,
      method: payment.method,
      settled: fresh.balanceCents === 0,
    }
    return event
  }

  /** A payment at the counter (cheque, cash, CESU) with its receipt number. */
  async recordManualPayment(
    invoiceId: number,
    input: {
      method: 'cheque' | 'cash' | 'cesu'
      amountCents: number
      receiptNumber: string
      paidOn: string
    },
    actor: Actor
  ) {
    if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new BillingError('Le montant doit être positif.')
    const event = await db.transaction(async (trx) => {
      const invoice = await Invoice.query({ client: trx }).where('id', invoiceId).firstOrFail()
      const duplicate = await trx.from('payments').where({ method: input.method, receipt_number: input.receiptNumber }).first()
      if (duplicate) throw new BillingError(`Le reçu n° ${input.receiptNumber} est déjà enregistré.`)
      const received = await this.applyPayment(trx, invoice, { ...input, recordedBy: actor.id }, { withinBalance: true })
      if (!received) throw new BillingError(`Le montant dépasse le reste à payer (${formatMoney(invoice.balanceCents)}).`)
      await audit.record(
        {
          actor,
          action: 'billing.payment.recorded',
          subjectType: 'invoice',
          subjectId: invoiceId,
          details: { ...input },
        },
        trx
      )
      return received
    })
    await emitter.emit('billing:payment-received', event)
    return event
  }

  /** The invoices a family still has to pay (open, something left). */
  async openInvoices(familyId: number) {
    const invoices = await Invoice.query().where('family_id', familyId).where('status', 'open').orderBy('due_date')
    return invoices.filter((invoice) => invoice.balanceCents > 0)
  }

  /** "Factures en attente" line: "Aucune facture à payer" or "2 factures à payer (45,20 €)". */
  async pendingSummary(familyId: number) {
    const open = await this.openInvoices(familyId)
    if (!open.length) return 'Factures en attente : aucune facture à payer'
    const total = open.reduce((sum, invoice) => sum + invoice.balanceCents, 0)
    return `${open.length} facture${open.length > 1 ? 's' : ''} à payer (${formatMoney(total)})`
  }

  /** An invoice of this family only (404 otherwise). */
  async forFamily(familyId: number, invoiceId: number) {
    return Invoice.query()
      .where('family_id', familyId)
      .where('id', invoiceId)
      .preload('lines', (query) => query.orderBy('position'))
      .preload('creditNotes', (query) => query.orderBy('id'))
      .preload('payments', (query) => query.orderBy('id'))
      .firstOrFail()
  }

  async withDetails(invoiceId: number) {
    return Invoice.query()
      .where('id', invoiceId)
      .preload('lines', (query) => query.orderBy('position'))
      .preload('creditNotes', (query) => query.orderBy('id'))
      .preload('payments', (query) => query.orderBy('id'))
      .firstOrFail()
  }

  async lines(invoiceId: number) {
    return InvoiceLine.query().where('invoice_id', invoiceId).orderBy('position')
  }

  async payments(familyId: number) {
    return Payment.query().where('family_id', familyId).orderBy('created_at', 'desc').orderBy('id', 'desc')
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size))
  return out
}

const invoiceService = new InvoiceService()
export default invoiceService

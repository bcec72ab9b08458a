import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { AMOUNTS_PER_STATEMENT, amountsTable, applyPayments, type BulkPayment } from '#modules/billing/services/payment/bulk_payments'
import overpaymentService from '#modules/billing/services/payment/overpayment_service'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { historyService } from '#modules/dossier/index'
import audit, { type AuditEntry } from '#services/audit_service'
import { formatDate, formatMoney } from '#core/format'
import { chunks } from '#core/chunks'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import router from '@adonisjs/core/services/router'

/** The payment method of a debit of the commune's own SEPA file (PayFiP's debit is 'debit'). */
export const SEPA_METHOD = 'sepa'

/** Lines settled per transaction: a month's file of 20,000 families in a few hundred commits. */
const LINES_PER_TRANSACTION = 200

interface DueLine {
  id: number
  invoice_id: number
  amount_cents: number
  end_to_end_id: string
  collection_date: string
}

/** A rejected line whose debit may have been collected (`reverseMany`). */
export interface ReversedLine {
  invoice_id: number
  family_id: number
  end_to_end_id: string
  invoice_number: string
}

export interface CollectionRun {
  /** Debits recorded as payments by this run. */
  collected: number
  collectedCents: number
  /** Part of the money that exceeded what was left on the invoice (a credit note after the file was sent): to refund. */
  overpaidCents: number
}

/**
 * Sent debits become payments on their collection day: method « prélèvement automatique », the
 * EndToEndId as the receipt number, paid on the collection date. A reject imported afterwards
 * reverses the payment (`reverse`). Each line is collected once, whatever the number of runs at
 * the same instant (a conditional update on the line), and never once it is rejected.
 */
class DebitCollectionService {
  /** Debits whose collection day has come and that are neither collected nor rejected. */
  due(today: string) {
    return db
      .from('sepa_debit_lines')
      .join('sepa_debit_batches', 'sepa_debit_batches.id', 'sepa_debit_lines.batch_id')
      .where('sepa_debit_batches.collection_date', '<=', today)
      .whereNull('sepa_debit_lines.collected_on')
      .whereNull('sepa_debit_lines.rejected_on')
  }

  async collectDue(options: { today?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<CollectionRun> {
    const today = options.today ?? todayInParis()
    const lines: DueLine[] = await this.due(today)
      .orderBy('sepa_debit_lines.id')
      .select('sepa_debit_lines.id', 'sepa_debit_lines.invoice_id', 'sepa_debit_lines.amount_cents', 'sepa_debit_lines.end_to_end_id', 'sepa_debit_batches.collection_date')
    const run: CollectionRun = { collected: 0, collectedCents: 0, overpaidCents: 0 }
    let done = 0
    for (const group of chunks(lines, LINES_PER_TRANSACTION)) {
      const started = Date.now()
      const outcome = await retryWhenBusy(() => db.transaction((trx) => this.collectGroup(trx, group)))
      // SQLite: the portal's writers (a parent booking, a counter payment) get the lock between two groups.
      await yieldWriteLock(db.connection().dialect.name, Date.now() - started)
      run.collected += outcome.collected
      run.collectedCents += outcome.collectedCents
      run.overpaidCents += outcome.overpaidCents
      done += group.length
      options.onProgress?.(done, lines.length)
    }
    return run
  }

  /**
   * Records a group of debits as paid, in the caller's transaction; a line another run collected,
   * or a reject came first, is left out. The guard is the lines' rows, read and held until commit
   * (PostgreSQL's FOR UPDATE, rechecked once a concurrent run commits; SQLite's transaction holds
   * the whole database), then the invoices' rows, in id order both: a counter payment at the same
   * instant is counted after these.
   */
  private async collectGroup(trx: TransactionClientContract, group: DueLine[]): Promise<CollectionRun> {
    const part: CollectionRun = { collected: 0, collectedCents: 0, overpaidCents: 0 }
    const pg = trx.dialect.name === 'postgres'
    const open = trx
      .from('sepa_debit_lines')
      .whereIn(
        'id',
        group.map((line) => line.id)
      )
      .whereNull('collected_on')
      .whereNull('rejected_on')
      .orderBy('id')
      .select('id')
    const openIds = new Set((await (pg ? open.forUpdate() : open)).map((row) => Number(row.id)))
    const lines = group.filter((line) => openIds.has(Number(line.id)))
    if (!lines.length) return part
    const byDay = new Map<string, number[]>()
    for (const line of lines) byDay.set(line.collection_date, [...(byDay.get(line.collection_date) ?? []), line.id])
    for (const [collectedOn, ids] of byDay) {
      await trx.from('sepa_debit_lines').whereIn('id', ids).whereNull('collected_on').whereNull('rejected_on').update({ collected_on: collectedOn })
    }
    const held = trx
      .from('invoices')
      .whereIn(
        'id',
        lines.map((line) => line.invoice_id)
      )
      .orderBy('id')
      .select('id', 'family_id', 'number', 'total_cents', 'credited_cents', 'paid_cents')
    const invoices = new Map((await (pg ? held.forUpdate() : held)).map((row) => [Number(row.id), row]))
    const payments: BulkPayment[] = []
    const overpaid: Array<{ invoice: { id: number; familyId: number; number: string }; idOp: string; amountCents: number }> = []
    const audits: AuditEntry[] = []
    for (const line of lines) {
      const row = invoices.get(Number(line.invoice_id))!
      const balanceCents = Math.max(0, Number(row.total_cents) - Number(row.credited_cents) - Number(row.paid_cents))
      const invoice = { id: Number(row.id), familyId: Number(row.family_id), number: String(row.number), balanceCents }
      const amount = Number(line.amount_cents)
      const counted = Math.min(amount, balanceCents)
      if (counted > 0) payments.push({ invoice, method: SEPA_METHOD, amountCents: counted, receiptNumber: line.end_to_end_id, paidOn: line.collection_date })
      if (amount > counted) overpaid.push({ invoice, idOp: line.end_to_end_id, amountCents: amount - counted })
      audits.push({
        action: 'billing.sepa_debit.collected',
        subjectType: 'sepa_debit_line',
        subjectId: line.id,
        details: { invoiceId: invoice.id, endToEndId: line.end_to_end_id, collectedOn: line.collection_date, amountCents: amount, countedCents: counted },
      })
      part.collected++
      part.collectedCents += amount
      part.overpaidCents += amount - counted
    }
    await applyPayments(trx, payments)
    // Rare (a credit note after the file was sent): one at a time.
    for (const { invoice, idOp, amountCents } of overpaid) await overpaymentService.record(trx, invoice, { method: SEPA_METHOD, amountCents, idOp })
    await audit.recordMany(audits, trx)
    return part
  }

  /**
   * Rejected debits that were already collected: each one's payment is reversed (kept, with the
   * day of the reject), its invoice's paid amount goes down and it is open again; an
   * overpayment it caused, not yet refunded, is cancelled (the money never came). In the
   * caller's transaction, which holds the lines. Returns the amount reversed by EndToEndId.
   */
  async reverseMany(trx: TransactionClientContract, lines: ReversedLine[], rejectedOn: string): Promise<Map<string, number>> {
    const reversed = new Map<string, number>()
    for (const group of chunks(lines, AMOUNTS_PER_STATEMENT)) {
      const ids = group.map((line) => line.end_to_end_id)
      const payments = await trx
        .from('payments')
        .where('method', SEPA_METHOD)
        .whereIn('receipt_number', ids)
        .whereNull('reversed_on')
        .select('id', 'receipt_number', 'amount_cents', 'paid_on')
      await trx.from('overpayments').where('method', SEPA_METHOD).whereIn('id_op', ids).whereNull('refunded_at').delete()
      if (!payments.length) continue
      const byReceipt = new Map(payments.map((payment) => [String(payment.receipt_number), payment]))
      await trx
        .from('payments')
        .whereIn(
          'id',
          payments.map((payment) => payment.id)
        )
        .update({ reversed_on: rejectedOn })
      const found = group.filter((line) => byReceipt.has(line.end_to_end_id))
      const amounts = amountsTable(
        trx,
        found.map((line) => ({ id: Number(line.invoice_id), amountCents: Number(byReceipt.get(line.end_to_end_id)!.amount_cents) }))
      )
      const settled = 'invoices.total_cents - invoices.credited_cents - (invoices.paid_cents - v.amount) <= 0'
      await trx.rawQuery(
        `UPDATE invoices SET paid_cents = invoices.paid_cents - v.amount, status = CASE WHEN ${settled} THEN 'paid' ELSE 'open' END, ` +
          `paid_at = CASE WHEN ${settled} THEN invoices.paid_at ELSE NULL END FROM ${amounts.sql} WHERE invoices.id = v.id`,
        amounts.bindings
      )
      await historyService.recordMany(
        found.map((line) => {
          const payment = byReceipt.get(line.end_to_end_id)!
          return {
            familyId: Number(line.family_id),
            line: {
              module: 'billing',
              kind: 'payment-reversed',
              text: `Paiement par prélèvement du ${formatDate(payment.paid_on)} (${formatMoney(Number(payment.amount_cents))}) annulé sur la facture n° ${line.invoice_number} : la banque a rejeté le prélèvement`,
              link: router.makeUrl('billing.invoices.show', { id: line.invoice_id }),
            },
          }
        }),
        trx
      )
      for (const line of found) reversed.set(line.end_to_end_id, Number(byReceipt.get(line.end_to_end_id)!.amount_cents))
    }
    return reversed
  }
}

const debitCollectionService = new DebitCollectionService()
export default debitCollectionService

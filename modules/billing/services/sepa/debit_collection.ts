import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import overpaymentService from '#modules/billing/services/payment/overpayment_service'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import { formatDate, formatMoney } from '#core/format'
import { chunks } from '#core/chunks'
import { affectedRows } from '#core/sql_results'
import { retryWhenBusy } from '#core/database_guard'
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
      const outcome = await retryWhenBusy(() =>
        db.transaction(async (trx) => {
          const part: CollectionRun = { collected: 0, collectedCents: 0, overpaidCents: 0 }
          for (const line of group) {
            const overpaid = await this.collect(trx, line)
            if (overpaid === null) continue
            part.collected++
            part.collectedCents += Number(line.amount_cents)
            part.overpaidCents += overpaid
          }
          return part
        })
      )
      run.collected += outcome.collected
      run.collectedCents += outcome.collectedCents
      run.overpaidCents += outcome.overpaidCents
      done += group.length
      options.onProgress?.(done, lines.length)
    }
    return run
  }

  /** Records one debit as paid; null when another run collected it or a reject came first. */
  private async collect(trx: TransactionClientContract, line: DueLine): Promise<number | null> {
    const marked = await trx
      .from('sepa_debit_lines')
      .where('id', line.id)
      .whereNull('collected_on')
      .whereNull('rejected_on')
      .update({ collected_on: line.collection_date })
    if (affectedRows(marked) !== 1) return null
    // Holds the invoice row until commit: a counter payment at the same instant is counted after this one.
    await trx.from('invoices').where('id', line.invoice_id).update({ paid_cents: trx.knexRawQuery('paid_cents') })
    const invoice = await Invoice.query({ client: trx }).where('id', line.invoice_id).firstOrFail()
    const amount = Number(line.amount_cents)
    const counted = Math.min(amount, invoice.balanceCents)
    if (counted > 0) {
      await invoiceService.applyPayment(trx, invoice, { method: SEPA_METHOD, amountCents: counted, receiptNumber: line.end_to_end_id, paidOn: line.collection_date })
    }
    if (amount > counted) await overpaymentService.record(trx, invoice, { method: SEPA_METHOD, amountCents: amount - counted, idOp: line.end_to_end_id })
    await audit.record(
      {
        action: 'billing.sepa_debit.collected',
        subjectType: 'sepa_debit_line',
        subjectId: line.id,
        details: { invoiceId: invoice.id, endToEndId: line.end_to_end_id, collectedOn: line.collection_date, amountCents: amount, countedCents: counted },
      },
      trx
    )
    return amount - counted
  }

  /**
   * A rejected debit that was already collected: its payment is reversed (kept, with the day of
   * the reject), the invoice's paid amount goes down and it is open again; an overpayment it
   * caused, not yet refunded, is cancelled (the money never came). Returns the amount reversed.
   */
  async reverse(trx: TransactionClientContract, line: { invoice_id: number; family_id: number; end_to_end_id: string }, rejectedOn: string): Promise<number> {
    const payment = await trx.from('payments').where({ method: SEPA_METHOD, receipt_number: line.end_to_end_id }).whereNull('reversed_on').first()
    await trx.from('overpayments').where({ method: SEPA_METHOD, id_op: line.end_to_end_id }).whereNull('refunded_at').delete()
    if (!payment) return 0
    const amount = Number(payment.amount_cents)
    await trx.from('payments').where('id', payment.id).update({ reversed_on: rejectedOn })
    await trx
      .from('invoices')
      .where('id', line.invoice_id)
      .update({
        paid_cents: trx.knexRawQuery('paid_cents - ?', [amount]),
        status: trx.knexRawQuery("CASE WHEN total_cents - credited_cents - (paid_cents - ?) <= 0 THEN 'paid' ELSE 'open' END", [amount]),
        paid_at: trx.knexRawQuery('CASE WHEN total_cents - credited_cents - (paid_cents - ?) <= 0 THEN paid_at ELSE NULL END', [amount]),
      })
    const invoice = await trx.from('invoices').where('id', line.invoice_id).select('number').firstOrFail()
    await historyService.record(
      line.family_id,
      {
        module: 'billing',
        kind: 'payment-reversed',
        text: `Paiement par prélèvement du ${formatDate(payment.paid_on)} (${formatMoney(amount)}) annulé sur la facture n° ${invoice.number} : la banque a rejeté le prélèvement`,
        link: router.makeUrl('billing.invoices.show', { id: line.invoice_id }),
      },
      trx
    )
    return amount
  }
}

const debitCollectionService = new DebitCollectionService()
export default debitCollectionService

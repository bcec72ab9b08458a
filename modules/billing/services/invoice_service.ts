import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { historyService } from '#modules/dossier/index'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment from '#modules/billing/models/payment'
import type { PaymentMethod } from '#modules/billing/models/money_on_invoice'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { formatMoney } from '#core/format'
import { plural } from '#core/french'
import audit from '#services/audit_service'
import type { PaymentReceived } from '#modules/billing/events'
import { affectedRows } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'

import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { nextNumber } from '#modules/billing/services/invoice_numbers'
import invoiceGeneration from '#modules/billing/services/invoice_generation'
import router from '@adonisjs/core/services/router'

const NOTHING_TO_PAY = 'Aucune facture à payer'

class InvoiceService {
  /** The month's run (invoice_generation.ts): each family invoiced once for the month. */
  generateMonth(...args: Parameters<typeof invoiceGeneration.generateMonth>) {
    return invoiceGeneration.generateMonth(...args)
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
          link: router.makeUrl('billing.invoices.show', { id: invoiceId }),
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
        link: router.makeUrl('billing.invoices.show', { id: invoice.id }),
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
  /** The home tile's line: "Factures en attente : aucune facture à payer", "2 factures à payer (24,40 €)". */
  async pendingSummary(familyId: number) {
    const line = await this.openInvoicesLine(familyId)
    return line === NOTHING_TO_PAY ? 'Factures en attente : aucune facture à payer' : line
  }

  /**
   * Why families:purge keeps this family (its invoices, credit notes and payments outlive it):
   * "2 factures impayées (24,40 €)", or the settled ones kept for the public accounts; null when none.
   */
  async retentionReason(familyId: number): Promise<string | null> {
    const open = await this.openInvoices(familyId)
    if (open.length) {
      const total = open.reduce((sum, invoice) => sum + invoice.balanceCents, 0)
      return `${plural(open.length, 'facture impayée', 'factures impayées')} (${formatMoney(total)})`
    }
    const [invoices, credits, payments, mandates] = await Promise.all(
      ['invoices', 'credit_notes', 'payments', 'sepa_mandates'].map(async (table) => Number((await db.from(table).where('family_id', familyId).count('* as n'))[0].n))
    )
    // A signed SEPA mandate is the creditor's proof of the debits it authorised: kept with the family.
    const proof = mandates ? `${plural(mandates, 'mandat de prélèvement SEPA conservé', 'mandats de prélèvement SEPA conservés')} comme preuve` : null
    if (!invoices && !credits && !payments) return proof
    return `factures réglées (${invoices}), avoirs (${credits}) et paiements (${payments}) conservés pour la comptabilité${proof ? ` ; ${proof}` : ''}`
  }

  /** "Aucune facture à payer", "1 facture à payer (12,20 €)". */
  async openInvoicesLine(familyId: number) {
    const open = await this.openInvoices(familyId)
    if (!open.length) return NOTHING_TO_PAY
    const total = open.reduce((sum, invoice) => sum + invoice.balanceCents, 0)
    return `${plural(open.length, 'facture')} à payer (${formatMoney(total)})`
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

const invoiceService = new InvoiceService()
export default invoiceService

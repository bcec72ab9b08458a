import type { HttpContext } from '@adonisjs/core/http'
import { familyOf } from '#modules/dossier/index'
import invoiceService from '#modules/billing/services/invoice_service'
import { BillingError } from '#modules/billing/services/billing_error'
import paymentService, { refdetFor } from '#modules/billing/services/payment/payment_service'
import PaymentOperation from '#modules/billing/models/payment_operation'
import Invoice from '#modules/billing/models/invoice'
import Overpayment from '#modules/billing/models/overpayment'
import { formatMoney } from '#core/format'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { PaymentProviderError } from '#modules/billing/services/payment/payment_driver'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { creditorId } from '#modules/billing/config/sepa'
import { debitSentence, plannedDebit } from '#modules/billing/services/sepa/invoice_debit'
import { rejectedDebit, rejectionSentence } from '#modules/billing/services/sepa/debit_rejection'

/** FACTURATION for parents: invoices, PDF, online payment, payment history. */
export default class InvoicesController {
  async index(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) return ctx.view.render('billing::pages/invoices', { family: null, invoices: [], debits: {}, payments: [], summary: null })
    const invoices = await Invoice.query().where('family_id', family.id).orderBy('month', 'desc').orderBy('id', 'desc')
    const payments = await invoiceService.payments(family.id)
    const numbers = new Map(invoices.map((invoice) => [invoice.id, invoice.number]))
    const debits: Record<number, string> = {}
    for (const invoice of invoices.filter((item) => item.debitMandateId)) {
      const debit = await plannedDebit(invoice)
      if (debit) debits[invoice.id] = debit.on
    }
    return ctx.view.render('billing::pages/invoices', {
      family,
      invoices,
      debits,
      payments: payments.map((payment) => ({ payment, invoiceNumber: numbers.get(payment.invoiceId) ?? '' })),
      summary: await invoiceService.pendingSummary(family.id),
      directDebitOffered: Boolean(creditorId()),
      mandate: await mandateService.activeFor(family.id),
    })
  }

  async show(ctx: HttpContext) {
    const invoice = await this.invoiceOfFamily(ctx)
    const pending = await PaymentOperation.query().where('invoice_id', invoice.id).where('state', 'pending').first()
    const overpayments = await Overpayment.query().where('invoice_id', invoice.id).orderBy('id')
    const debit = await plannedDebit(invoice)
    const rejected = await rejectedDebit(invoice.id)
    return ctx.view.render('billing::pages/invoice', {
      invoice,
      pendingOperation: pending,
      overpayments,
      debitText: debit ? debitSentence(debit) : null,
      rejectionText: rejected ? rejectionSentence(rejected) : null,
      // The PayFiP reference where the PDF gives it: when the invoice is to be paid, not by direct debit.
      refdet: debit || invoice.balanceCents === 0 ? null : refdetFor(invoice.number),
    })
  }

  async pdf(ctx: HttpContext) {
    const invoice = await this.invoiceOfFamily(ctx)
    const buffer = await invoicePdf(invoice)
    ctx.response.header('content-type', 'application/pdf')
    ctx.response.header('content-disposition', `inline; filename="facture-${invoice.number}.pdf"`)
    ctx.response.header('cache-control', 'private, no-store')
    return ctx.response.send(buffer)
  }

  async pay(ctx: HttpContext) {
    const invoice = await this.invoiceOfFamily(ctx)
    const family = await familyOf(ctx)
    try {
      const { paymentUrl } = await paymentService.start(invoice, ctx.auth.getUserOrFail(), family?.email ?? null)
      // A page with a link rather than a redirect: the CSP's form-action 'self' forbids a form
      // POST to end on another site, and the parent is told where they go.
      ctx.response.header('cache-control', 'no-store')
      return ctx.view.render('billing::pages/payfip_handoff', { invoice, paymentUrl })
    } catch (error) {
      if (!(error instanceof BillingError || error instanceof PaymentProviderError)) throw error
      const message =
        error instanceof PaymentProviderError
          ? 'Le paiement en ligne est momentanément indisponible. Réessayez plus tard ou réglez au guichet.'
          : error.message
      ctx.session.flash('alert.error', message)
      return ctx.response.redirect().toRoute('billing.invoices.show', { id: invoice.id })
    }
  }

  /** The parent's browser back from PayFiP (?idop=...): the result is read again from PayFiP. */
  async paymentReturn(ctx: HttpContext) {
    const idOp = String(ctx.request.input('idop', ctx.request.input('idOp', '')))
    const family = await familyOf(ctx)
    if (!family || !idOp) return ctx.response.redirect().toRoute('billing.invoices')
    const operation = await PaymentOperation.query().where('id_op', idOp).where('family_id', family.id).firstOrFail()
    let outcome: string
    try {
      outcome = (await paymentService.settle(idOp)).outcome
    } catch (error) {
      if (!(error instanceof PaymentProviderError)) throw error
      outcome = 'pending'
    }
    const messages: Record<string, [string, string]> = {
      'paid': ['success', 'Votre paiement est enregistré : merci.'],
      'already-settled': ['success', 'Votre paiement est enregistré : merci.'],
      'refused': ['error', 'Le paiement a été refusé : la facture reste à payer.'],
      'abandoned': ['warning', 'Le paiement a été abandonné : la facture reste à payer.'],
      'expired': ['warning', 'Le délai de paiement est dépassé : la facture reste à payer.'],
      'pending': ['info', 'Votre paiement est en cours de traitement : la facture sera mise à jour dès sa confirmation.'],
    }
    const [type, text] = messages[outcome] ?? messages.pending
    ctx.session.flash(`alert.${type}`, text)
    const overpaid = await Overpayment.findBy('id_op', idOp)
    if (overpaid) {
      ctx.session.flash('alert.warning', `Cette facture était déjà réglée : le trop-perçu de ${formatMoney(overpaid.amountCents)} vous sera remboursé par le service.`)
    }
    return ctx.response.redirect().toRoute('billing.invoices.show', { id: operation.invoiceId })
  }

  /** PayFiP's server-to-server notification (unsigned, CSRF-exempt): only triggers a re-read. */
  async notify({ request, response }: HttpContext) {
    const idOp = String(request.input('idOp', request.input('idop', '')))
    if (!/^[A-Za-z0-9-]{1,64}$/.test(idOp)) return response.badRequest('idOp manquant')
    try {
      const { outcome } = await paymentService.settle(idOp)
      if (outcome === 'unknown') return response.notFound('Opération inconnue')
      return response.ok(outcome)
    } catch (error) {
      if (error instanceof PaymentProviderError) return response.status(502).send('PayFiP injoignable')
      throw error
    }
  }

  private async invoiceOfFamily(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) {
      const { default: ForbiddenException } = await import('#exceptions/forbidden_exception')
      throw new ForbiddenException()
    }
    return invoiceService.forFamily(family.id, Number(ctx.params.id))
  }
}

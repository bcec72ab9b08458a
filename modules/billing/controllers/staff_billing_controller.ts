import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Invoice from '#modules/billing/models/invoice'
import { METHOD_LABELS } from '#modules/billing/models/money_on_invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import { BillingError } from '#modules/billing/services/billing_error'
import { monthLabel, monthNotEnded } from '#modules/billing/services/billing_month'
import { planningSource } from '#modules/billing/services/planning_source'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { creditNoteValidator, fieldError, manualPaymentValidator, monthValidator, refundValidator } from '#modules/billing/validators/billing'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { toCsv } from '#core/csv'
import { formatMoney, plural } from '#core/french'
import Overpayment from '#modules/billing/models/overpayment'
import { OPERATION_STATE_LABELS } from '#modules/billing/models/payment_operation'
import overpaymentService from '#modules/billing/services/payment/overpayment_service'
import { refdetFor } from '#modules/billing/services/payment/payment_service'
import { pageNumber } from '#core/pagination'
import { loadInSlices } from '#core/chunks'
import pesExportService from '#modules/billing/services/pes/pes_export_service'
import { debitSentence, plannedDebit } from '#modules/billing/services/sepa/invoice_debit'
import { rejectedDebit, rejectionSentenceForStaff } from '#modules/billing/services/sepa/debit_rejection'

function previousMonth() {
  return DateTime.now().setZone('Europe/Paris').minus({ months: 1 }).toFormat('yyyy-MM')
}

function monthParam(value: unknown) {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : previousMonth()
}

const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',')

/** FACTURATION for the staff: the month's run and totals, invoices, credit notes, counter payments, unpaid. */
export default class StaffBillingController {
  async index({ request, view }: HttpContext) {
    const month = monthParam(request.input('month'))
    const page = pageNumber(request.input('page'))
    const invoices = await Invoice.query().where('month', month).orderBy('sequence').paginate(page, 50)
    invoices.baseUrl(router.makeUrl('billing.staff.index', {}, { qs: { month } }))
    const totals = await db
      .from('invoices')
      .where('month', month)
      .select(
        db.raw('count(*) as count'),
        db.raw('coalesce(sum(total_cents), 0) as total'),
        db.raw('coalesce(sum(credited_cents), 0) as credited'),
        db.raw('coalesce(sum(paid_cents), 0) as paid')
      )
      .first()
    const count = Number(totals?.count ?? 0)
    const total = Number(totals?.total ?? 0)
    const credited = Number(totals?.credited ?? 0)
    const paid = Number(totals?.paid ?? 0)
    return view.render('billing::pages/staff/index', {
      toRefund: await overpaymentService.toRefund(),
      month,
      monthLabel: monthLabel(month),
      invoices,
      totals: { count, total, credited, paid, balance: Math.max(0, total - credited - paid) },
      pes: await pesExportService.overview(month),
    })
  }

  async generate(ctx: HttpContext) {
    const { month, force } = await ctx.request.validateUsing(monthValidator)
    const notEnded = force ? null : monthNotEnded(month)
    if (notEnded) throw fieldError('month', `${notEnded} Pour les émettre quand même, cochez « Émettre avant la fin du mois ».`)
    const user = ctx.auth.getUserOrFail()
    const summary = await invoiceService.generateMonth(month, planningSource, { actor: { id: user.id, fullName: user.fullName }, force: Boolean(force) })
    const parts = [
      `${plural(summary.created, 'facture émise', 'factures émises')} pour ${monthLabel(month)} (${formatMoney(summary.totalCents)})`,
      summary.alreadyIssued ? `${plural(summary.alreadyIssued, 'famille déjà facturée, inchangée', 'familles déjà facturées, inchangées')}` : null,
      summary.withoutAmount ? `${plural(summary.withoutAmount, 'famille', 'familles')} sans montant à facturer` : null,
    ].filter(Boolean)
    ctx.session.flash('alert.success', parts.join(' ; ') + '.')
    if (summary.problems.length) {
      const first = summary.problems.slice(0, 5).map((problem) => problem.message)
      ctx.session.flash(
        'alert.warning',
        `${plural(summary.problems.length, 'famille non facturée', 'familles non facturées')} : ${[...new Set(first)].join(' ')} Corrigez puis relancez : les factures émises ne changent pas.`
      )
    }
    return ctx.response.redirect().toRoute('billing.staff.index', {}, { qs: { month } })
  }

  async show({ params, view }: HttpContext) {
    const invoice = await invoiceService.withDetails(Number(params.id))
    const operations = await db.from('payment_operations').where('invoice_id', invoice.id).orderBy('id', 'desc')
    const debit = await plannedDebit(invoice)
    const rejected = await rejectedDebit(invoice.id)
    return view.render('billing::pages/staff/invoice', {
      invoice,
      debitText: debit ? debitSentence(debit) : null,
      rejectionText: rejected ? rejectionSentenceForStaff(rejected) : null,
      debitSent: Boolean(debit?.sent),
      refdet: refdetFor(invoice.number),
      operations,
      overpayments: await overpaymentService.forInvoice(invoice.id),
      operationStateLabels: OPERATION_STATE_LABELS,
      methodOptions: Object.entries(METHOD_LABELS)
        .filter(([key]) => ['cheque', 'cash', 'cesu'].includes(key))
        .map(([value, label]) => ({ value, label })),
      today: todayInParis(),
    })
  }

  async pdf({ params, response }: HttpContext) {
    const invoice = await invoiceService.withDetails(Number(params.id))
    response.header('content-type', 'application/pdf')
    response.header('content-disposition', `inline; filename="facture-${invoice.number}.pdf"`)
    return response.send(await invoicePdf(invoice))
  }

  async creditNote(ctx: HttpContext) {
    const invoice = await Invoice.findOrFail(ctx.params.id)
    const data = await ctx.request.validateUsing(creditNoteValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      const note = await invoiceService.issueCreditNote(invoice.id, data.amount, data.reason, { id: user.id, fullName: user.fullName })
      ctx.session.flash('alert.success', `Avoir n° ${note.number} enregistré.`)
    } catch (error) {
      if (error instanceof BillingError) throw fieldError('amount', error.message)
      throw error
    }
    return ctx.response.redirect().toRoute('billing.staff.invoice', { id: invoice.id })
  }

  async payment(ctx: HttpContext) {
    const invoice = await Invoice.findOrFail(ctx.params.id)
    const data = await ctx.request.validateUsing(manualPaymentValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      await invoiceService.recordManualPayment(
        invoice.id,
        { method: data.method, amountCents: data.amount, receiptNumber: data.receiptNumber, paidOn: DateTime.fromJSDate(data.paidOn).toISODate()! },
        { id: user.id, fullName: user.fullName }
      )
      ctx.session.flash('alert.success', `Paiement enregistré (reçu n° ${data.receiptNumber}).`)
    } catch (error) {
      if (error instanceof BillingError) throw fieldError(error.message.includes('reçu') ? 'receiptNumber' : 'amount', error.message)
      throw error
    }
    return ctx.response.redirect().toRoute('billing.staff.invoice', { id: invoice.id })
  }

  async refundOverpayment(ctx: HttpContext) {
    const overpayment = await Overpayment.findOrFail(ctx.params.id)
    const { reference } = await ctx.request.validateUsing(refundValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      await overpaymentService.markRefunded(overpayment.id, reference ?? null, { id: user.id, fullName: user.fullName })
      ctx.session.flash('alert.success', `Trop-perçu de ${formatMoney(overpayment.amountCents)} marqué remboursé.`)
    } catch (error) {
      if (!(error instanceof BillingError)) throw error
      ctx.session.flash('alert.info', error.message)
    }
    return ctx.response.redirect().toRoute('billing.staff.invoice', { id: overpayment.invoiceId })
  }

  async unpaid({ request, view }: HttpContext) {
    const invoices = await unpaidInvoices().orderBy('due_date').orderBy('sequence').paginate(pageNumber(request.input('page')), 50)
    invoices.baseUrl(router.makeUrl('billing.staff.unpaid'))
    const totals = await db
      .from('invoices')
      .where('status', 'open')
      .whereRaw(`${BALANCE} > 0`)
      .select(db.raw('count(*) as count'), db.raw(`coalesce(sum(${BALANCE}), 0) as total`))
      .first()
    return view.render('billing::pages/staff/unpaid', { invoices, count: Number(totals?.count ?? 0), total: Number(totals?.total ?? 0) })
  }

  async exportMonth({ request, response }: HttpContext) {
    const month = monthParam(request.input('month'))
    const invoices = await inOrder(db.from('invoices').where('month', month).orderBy('sequence'))
    const csv = toCsv(
      ['Numéro', 'Mois', 'Famille', 'Émise le', 'Échéance', 'Total (€)', 'Avoirs (€)', 'Payé (€)', 'Reste (€)', 'État'],
      invoices.map((invoice) => [
        invoice.number,
        invoice.month,
        invoice.familyName,
        invoice.issuedOn,
        invoice.dueDate,
        euros(invoice.totalCents),
        euros(invoice.creditedCents),
        euros(invoice.paidCents),
        euros(invoice.balanceCents),
        invoice.stateLabel,
      ])
    )
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', `attachment; filename="factures-${month}.csv"`)
    return response.send(csv)
  }

  async exportUnpaid({ response }: HttpContext) {
    const invoices = await inOrder(db.from('invoices').where('status', 'open').whereRaw(`${BALANCE} > 0`).orderBy('due_date').orderBy('sequence'))
    const csv = toCsv(
      ['Numéro', 'Mois', 'Famille', 'Échéance', 'Reste à payer (€)', 'État'],
      invoices.map((invoice) => [invoice.number, invoice.month, invoice.familyName, invoice.dueDate, euros(invoice.balanceCents), invoice.stateLabel])
    )
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', 'attachment; filename="impayes.csv"')
    return response.send(csv)
  }
}

/** What an open invoice has left to pay (Invoice's balanceCents, when positive). */
const BALANCE = 'total_cents - credited_cents - paid_cents'

function unpaidInvoices() {
  return Invoice.query().where('status', 'open').whereRaw(`${BALANCE} > 0`)
}

/** The invoices of an export, in the query's order, as models built a slice at a time (loadInSlices). */
async function inOrder(ids: { select(column: string): Promise<{ id: number | string }[]> }) {
  const rows = await ids.select('id')
  return loadInSlices(
    rows.map((row) => Number(row.id)),
    (slice) => Invoice.query().whereIn('id', slice),
    (invoice) => invoice.id
  )
}

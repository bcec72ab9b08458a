import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { familyOf, requireFamily } from '#modules/dossier/index'
import mandateService, { MandateDocumentError } from '#modules/billing/services/sepa/mandate_service'
import { mandateText } from '#modules/billing/services/sepa/mandate_text'
import { sepaCreditor } from '#modules/billing/config/sepa'
import { mandateValidator, revocationValidator } from '#modules/billing/validators/sepa'
import { BillingError } from '#modules/billing/services/billing_error'
import { fieldError } from '#modules/billing/validators/billing'
import { MANDATE_STATUS_LABELS, type MandateStatus } from '#modules/billing/models/sepa_mandate'
import { pageNumber, pageOf } from '#core/pagination'
import { DateTime } from 'luxon'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import { monthLabel } from '#modules/billing/services/billing_month'
import { rejectReasonForStaff } from '#modules/billing/services/sepa/reject_reasons'

function debitMonth(value: unknown) {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : DateTime.now().setZone('Europe/Paris').minus({ months: 1 }).toFormat('yyyy-MM')
}

const STATUS_FILTERS: Record<string, MandateStatus> = { actifs: 'active', revoques: 'revoked', remplaces: 'replaced' }

/** FACTURATION → Prélèvement automatique: the parent signs, changes or revokes the family's SEPA mandate. */
export default class SepaMandatesController {
  async show(ctx: HttpContext) {
    const family = await familyOf(ctx)
    const creditor = await sepaCreditor()
    const mandates = family ? await mandateService.ofFamily(family.id) : []
    const mandate = mandates.find((row) => row.status === 'active') ?? null
    ctx.response.header('cache-control', 'private, no-store')
    return ctx.view.render('billing::pages/mandate', { family, creditor, mandate, mandates, mandateText })
  }

  async sign(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    if (!(await sepaCreditor())) {
      ctx.session.flash('alert.error', 'La commune ne propose pas le prélèvement automatique.')
      return ctx.response.redirect().toRoute('billing.mandate')
    }
    const data = await ctx.request.validateUsing(mandateValidator)
    const user = ctx.auth.getUserOrFail()
    let mandate
    try {
      mandate = await mandateService.sign(family, { id: user.id, fullName: user.fullName }, { holderName: data.holderName, iban: data.iban, bic: data.bic ?? null })
    } catch (error) {
      if (error instanceof MandateDocumentError) {
        ctx.session.flashExcept(['_csrf', 'consent'])
        ctx.session.flash('alert.error', error.message)
        return ctx.response.redirect().toRoute('billing.mandate')
      }
      if (error instanceof BillingError) throw fieldError('iban', error.message)
      throw error
    }
    ctx.session.flash(
      'alert.success',
      `Mandat de prélèvement signé : sa référence (RUM) est ${mandate.rum}. Vos prochaines factures seront prélevées sur le compte ${mandate.ibanMasked}.`
    )
    return ctx.response.redirect().toRoute('billing.mandate')
  }

  async revoke(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    await ctx.request.validateUsing(revocationValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      const mandate = await mandateService.revoke(family, { id: user.id, fullName: user.fullName })
      ctx.session.flash('alert.success', `Mandat ${mandate.rum} révoqué : vos factures se paient de nouveau en ligne ou au guichet.`)
    } catch (error) {
      if (!(error instanceof BillingError)) throw error
      ctx.session.flash('alert.info', error.message)
    }
    return ctx.response.redirect().toRoute('billing.mandate')
  }

  /** Staff: the month's debit batch (preview or file), and every mandate filtered by status (actifs, révoqués, remplacés), 50 a page. */
  async staffIndex({ request, view }: HttpContext) {
    const filter = String(request.input('statut', ''))
    const status = STATUS_FILTERS[filter] ?? null
    const month = debitMonth(request.input('month'))
    const mandates = await mandateService.list({ status, page: pageNumber(request.input('page')) })
    const baseUrl = router.makeUrl('billing.staff.mandates', {}, { qs: status ? { statut: filter, month } : { month } })
    const debits = await debitBatchService.preview(month)
    // A commune's month is 20,000 debits: its tables go 100 rows a page, each with its own parameter.
    const debitsUrl = router.makeUrl('billing.staff.mandates', {}, { qs: { ...(status ? { statut: filter } : {}), month, page: mandates.currentPage } })
    return view.render('billing::pages/staff/mandates', {
      month,
      monthLabel: monthLabel(month),
      debits,
      debitRows: pageOf<any>(debits.batch ? debits.lines : debits.included, pageNumber(request.input('prelevements')), 100),
      excludedRows: pageOf(debits.excluded, pageNumber(request.input('ecartees')), 100),
      debitsUrl,
      mandates,
      meta: mandates.getMeta(),
      baseUrl,
      filter: status ? filter : '',
      creditor: await sepaCreditor(),
      statusLabels: MANDATE_STATUS_LABELS,
      sequenceLabels: { FRST: 'premier prélèvement (FRST)', RCUR: 'récurrent (RCUR)' },
      rejectReason: rejectReasonForStaff,
      filters: [
        { value: '', label: 'Tous' },
        { value: 'actifs', label: 'Actifs' },
        { value: 'revoques', label: 'Révoqués' },
        { value: 'remplaces', label: 'Remplacés' },
      ],
    })
  }
}

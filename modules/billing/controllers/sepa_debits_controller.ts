import type { HttpContext } from '@adonisjs/core/http'
import debitBatchService, { CollectionDateError } from '#modules/billing/services/sepa/debit_batch_service'
import { BillingError } from '#modules/billing/services/billing_error'
import { fieldError } from '#modules/billing/validators/billing'
import { debitBatchValidator } from '#modules/billing/validators/sepa'
import { monthLabel } from '#modules/billing/services/billing_month'
import { formatMoney, plural } from '#core/french'

/** Staff: the month's SEPA debit file, created once (the same service as billing:sepa-export), then downloaded. */
export default class SepaDebitsController {
  async create(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(debitBatchValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      const { batch, created } = await debitBatchService.create(data.month, { collectionDate: data.collectionDate ?? null, actor: { id: user.id, fullName: user.fullName } })
      const summary = `${plural(batch.transactions_count, 'prélèvement')} pour ${formatMoney(Number(batch.control_sum_cents))}`
      ctx.session.flash(
        created ? 'alert.success' : 'alert.info',
        created
          ? `Fichier de prélèvement de ${monthLabel(data.month)} créé : ${summary}. Téléchargez-le et transmettez-le à la banque.`
          : `Le fichier de prélèvement de ${monthLabel(data.month)} existait déjà (${summary}) : rien n'est envoyé deux fois.`
      )
    } catch (error) {
      if (error instanceof CollectionDateError) throw fieldError('collectionDate', error.message)
      if (!(error instanceof BillingError)) throw error
      ctx.session.flash('alert.error', error.message)
    }
    return ctx.response.redirect().toRoute('billing.staff.mandates', {}, { qs: { month: data.month } })
  }

  /** The file as it was created: the same bytes at each download. */
  async download({ params, response }: HttpContext) {
    const batch = await debitBatchService.find(Number(params.id))
    if (!batch) return response.notFound('Lot de prélèvement introuvable')
    response.header('content-type', 'application/xml; charset=utf-8')
    response.header('content-disposition', `attachment; filename="prelevements-sepa-${batch.month}.xml"`)
    response.header('cache-control', 'private, no-store')
    return response.send(batch.xml)
  }
}

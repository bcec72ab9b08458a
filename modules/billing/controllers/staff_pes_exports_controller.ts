import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import PesExport from '#modules/billing/models/pes_export'
import pesExportService, { NothingToExportError } from '#modules/billing/services/pes/pes_export_service'
import { BillingError } from '#modules/billing/services/billing_error'
import { PesConfigError } from '#modules/billing/config/pes'
import { monthLabel } from '#modules/billing/services/billing_month'
import { monthValidator } from '#modules/billing/validators/billing'
import { de, formatMoney, plural } from '#core/french'

/** FACTURATION → "Titres PES V2": the month's export to the Trésor public, and the files already sent. */
export default class StaffPesExportsController {
  async store(ctx: HttpContext) {
    const { month } = await ctx.request.validateUsing(monthValidator)
    const user = ctx.auth.getUserOrFail()
    try {
      const created = await pesExportService.exportMonth(month, { id: user.id, fullName: user.fullName })
      const parts = [
        created.titleCount ? `${plural(created.titleCount, 'titre')} (${formatMoney(created.titlesCents)})` : null,
        created.reductionCount ? `${plural(created.reductionCount, 'réduction')} (${formatMoney(created.reductionsCents)})` : null,
      ].filter(Boolean)
      ctx.session.flash('alert.success', `Fichier PES V2 ${de(monthLabel(month))} créé (bordereau n° ${created.bordereauNumber ?? created.reductionBordereauNumber}) : ${parts.join(' et ')}. Téléchargez-le dans la liste ci-dessous pour le déposer auprès de la trésorerie.`)
    } catch (error) {
      if (error instanceof NothingToExportError) ctx.session.flash('alert.info', error.message)
      else if (error instanceof PesConfigError || error instanceof BillingError) ctx.session.flash('alert.error', error.message)
      else throw error
    }
    return ctx.response.redirect(`${router.makeUrl('billing.staff.index', {}, { qs: { month } })}#titres-pes`)
  }

  /** The file exactly as it was exported (kept in the row), whatever changed since. */
  async download({ params, response }: HttpContext) {
    const file = await PesExport.findOrFail(params.id)
    response.header('content-type', 'application/xml; charset=utf-8')
    response.header('content-disposition', `attachment; filename="${file.fileName}"`)
    return response.send(await file.text())
  }
}

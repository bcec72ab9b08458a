import type { HttpContext } from '@adonisjs/core/http'
import CommunePage from '#modules/news/models/commune_page'
import { sanitizeRichText } from '#modules/news/services/rich_text'
import { accountsCgu } from '#modules/news/services/terms_service'

/** The commune's own pages ("Notre gestion pour l'Enfance"...) and the CGU. */
export default class CommunePagesController {
  async show({ params, route, view }: HttpContext) {
    const slug = params.slug ?? route!.pattern.split('/').pop()
    const page = await CommunePage.findByOrFail('slug', slug)
    return view.render('news::pages/commune_page', { page, bodyHtml: sanitizeRichText(page.bodyHtml) })
  }

  async terms({ view }: HttpContext) {
    const cgu = await accountsCgu()
    const page = cgu ? null : await CommunePage.findBy('slug', 'cgu')
    return view.render('news::pages/terms', { cgu, page, bodyHtml: page ? sanitizeRichText(page.bodyHtml) : null })
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import audit from '#services/audit_service'
import CommunePage from '#modules/news/models/commune_page'
import { renderRichText } from '#modules/news/services/rich_text'
import { pageValidator } from '#modules/news/validators/page_validator'
import { fieldError } from '#modules/news/validators/field_error'

/** Slugs the public home links to (NOTRE GESTION POUR...). */
export const KNOWN_PAGES: Record<string, string> = {
  enfance: "Notre gestion pour l'Enfance",
  jeunesse: 'Notre gestion pour la Jeunesse',
  ecoles: 'Notre gestion pour les écoles',
}

function formValues(page?: CommunePage, slug = '') {
  return {
    title: page?.title ?? KNOWN_PAGES[slug] ?? (slug === 'cgu' ? "Conditions générales d'utilisation" : ''),
    slug: page?.slug ?? slug,
    body: page?.bodySource ?? '',
  }
}

/** The commune's own pages. */
export default class StaffPagesController {
  async index({ view }: HttpContext) {
    const pages = await CommunePage.query().preload('updatedBy').orderBy('slug')
    const missing = Object.entries(KNOWN_PAGES)
      .filter(([slug]) => !pages.some((page) => page.slug === slug))
      .map(([slug, title]) => ({ slug, title }))
    return view.render('news::pages/staff/pages/index', { pages, missing })
  }

  async create({ request, view }: HttpContext) {
    const slug = String(request.input('slug', '')).replace(/[^a-z0-9-]/g, '')
    return view.render('news::pages/staff/pages/form', { page: null, values: formValues(undefined, slug) })
  }

  async store(ctx: HttpContext) {
    const page = new CommunePage()
    page.authorId = ctx.auth.getUserOrFail().id
    await this.save(ctx, page, 'news.page.created')
    ctx.session.flash('alert.success', `La page « ${page.title} » est enregistrée.`)
    return ctx.response.redirect().toRoute('news.staff.pages.index')
  }

  async edit({ params, view }: HttpContext) {
    const page = await CommunePage.query().where('id', params.id).preload('author').preload('updatedBy').firstOrFail()
    return view.render('news::pages/staff/pages/form', { page, values: formValues(page) })
  }

  async update(ctx: HttpContext) {
    const page = await CommunePage.findOrFail(ctx.params.id)
    await this.save(ctx, page, 'news.page.updated')
    ctx.session.flash('alert.success', `La page « ${page.title} » est mise à jour.`)
    return ctx.response.redirect().toRoute('news.staff.pages.index')
  }

  async destroy({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const page = await CommunePage.findOrFail(params.id)
    await page.delete()
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'news.page.deleted',
      subjectType: 'news_page',
      subjectId: page.id,
      details: { slug: page.slug, title: page.title },
    })
    session.flash('alert.success', `La page « ${page.title} » est supprimée.`)
    return response.redirect().toRoute('news.staff.pages.index')
  }

  private async save({ auth, request }: HttpContext, page: CommunePage, action: string) {
    const user = auth.getUserOrFail()
    const data = await request.validateUsing(pageValidator)
    const clash = CommunePage.query().where('slug', data.slug)
    if (page.id) clash.whereNot('id', page.id)
    if (await clash.first()) throw fieldError('slug', 'Une autre page utilise déjà cette adresse.', 'unique')
    page.merge({
      title: data.title,
      slug: data.slug,
      bodySource: data.body,
      bodyHtml: renderRichText(data.body),
      updatedById: user.id,
    })
    await page.save()
    await audit.record({ actor: { id: user.id, fullName: user.fullName }, action, subjectType: 'news_page', subjectId: page.id })
  }
}

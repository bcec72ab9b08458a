import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import communeSettings from '#services/commune_settings'
import { absoluteRoute } from '#core/absolute_url'
import feedService from '#modules/planning/services/feed_service'
import { historyService } from '#modules/dossier/index'
import { familyOf } from '#modules/dossier/index'

/** The family's private iCalendar address: shown once when made, renewable. */
export default class CalendarFeedController {
  async show(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) return ctx.view.render('planning::pages/no_family')
    const token = ctx.session.flashMessages.get('planning.feedToken') as string | undefined
    return ctx.view.render('planning::pages/calendar_feed', {
      existing: await feedService.hasToken(family.id),
      url: token ? absoluteRoute('planning.feed', { token: `${token}.ics` }) : null,
    })
  }

  async renew(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) return ctx.response.redirect().toRoute('planning.index')
    const token = await feedService.renew(family.id)
    await historyService.record(family.id, {
      module: 'planning',
      kind: 'calendar-feed',
      text: 'Nouvelle adresse privée du calendrier du planning (la précédente ne fonctionne plus)',
      link: router.makeUrl('planning.calendar'),
    })
    ctx.session.flash('planning.feedToken', token)
    ctx.session.flash('alert.success', 'Votre adresse privée de calendrier est prête : copiez-la maintenant, elle ne sera plus affichée.')
    return ctx.response.redirect().toRoute('planning.calendar')
  }

  async feed({ params, response }: HttpContext) {
    const token = String(params.token ?? '').replace(/\.ics$/, '')
    const familyId = await feedService.familyForToken(token)
    if (!familyId) return response.notFound('Calendrier introuvable')
    const commune = await communeSettings.get()
    response.header('Content-Type', 'text/calendar; charset=utf-8')
    response.header('Cache-Control', 'private, max-age=300')
    response.header('Content-Disposition', 'inline; filename="planning.ics"')
    return feedService.calendar(familyId, commune.name)
  }
}

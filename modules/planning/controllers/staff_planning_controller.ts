import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import { Activity } from '#modules/inscriptions/index'
import ActivityDay from '#modules/planning/models/activity_day'
import PlanningSetting, { RATIOS } from '#modules/planning/models/planning_setting'
import staffPlanningService from '#modules/planning/services/staff_planning_service'
import settingsService from '#modules/planning/services/settings_service'
import { HOLIDAY_MODES } from '#modules/planning/services/day_generator'
import { describeDeadline } from '#modules/planning/services/deadline_rules'
import { generateValidator, settingsValidator } from '#modules/planning/validators/planning'
import { actorOf } from '#modules/planning/controllers/family_access'
import { plural } from '#core/french'
import { parisDayOf } from '#core/calendar_day'

/** /gestion/planning: each activity's rules, its days and their fill. */
export default class StaffPlanningController {
  async index({ view }: HttpContext) {
    const today = parisDayOf()
    const activities = await Activity.query().where('ends_on', '>=', today).preload('activityType').orderBy('starts_on').orderBy('name')
    const ids = activities.map((a) => a.id)
    const rules = await settingsService.rulesForMany(ids)
    const counts = ids.length
      ? await db.from('activity_days').whereIn('activity_id', ids).where('day', '>=', today).groupBy('activity_id').select('activity_id').count('* as total')
      : []
    const countMap = new Map(counts.map((row: any) => [Number(row.activity_id), Number(row.total)]))
    const upcoming = await ActivityDay.query()
      .whereIn('activity_id', ids.length ? ids : [0])
      .where('day', '>=', today)
      .orderBy('day')
      .orderBy('activity_id')
      .preload('activity')
      .limit(30)
    return view.render('planning::pages/staff/index', {
      rows: activities.map((activity) => ({
        activity,
        rules: rules.get(activity.id)!,
        days: countMap.get(activity.id) ?? 0,
        booking: describeDeadline(rules.get(activity.id)!.bookingDeadline),
      })),
      upcoming,
    })
  }

  async edit({ params, view }: HttpContext) {
    const activity = await Activity.query().where('id', params.id).preload('activityType').firstOrFail()
    const setting = await PlanningSetting.findBy('activity_id', activity.id)
    const rules = await settingsService.rulesFor(activity.id)
    const days = await ActivityDay.query().where('activity_id', activity.id).orderBy('day').limit(400)
    return view.render('planning::pages/staff/activity', {
      activity,
      setting,
      rules,
      days,
      ratios: Object.entries(RATIOS).map(([value, ratio]) => ({ value, label: ratio.label })),
      modes: Object.entries(HOLIDAY_MODES).map(([value, label]) => ({ value, label })),
      bookingText: describeDeadline(rules.bookingDeadline),
      cancelText: describeDeadline(rules.cancelDeadline),
    })
  }

  async update(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const activity = await Activity.findOrFail(params.id)
    const data = await request.validateUsing(settingsValidator)
    const setting = await staffPlanningService.saveSettings(activity.id, data as any)
    await audit.record({
      actor: actorOf(ctx),
      action: 'planning.settings.updated',
      subjectType: 'activity',
      subjectId: activity.id,
      details: { roomCapacity: setting.roomCapacity, capacityUnder6: setting.capacityUnder6, capacityOver6: setting.capacityOver6, booking: setting.bookingDeadline, cancel: setting.cancelDeadline },
    })
    session.flash(
      'alert.success',
      `Règles enregistrées : ${setting.capacityUnder6} places moins de 6 ans, ${setting.capacityOver6} places 6 ans et plus, ${setting.roomCapacity} au plus dans la salle.`
    )
    return response.redirect().toRoute('planning.staff.activity', { id: activity.id })
  }

  async generate(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const activity = await Activity.findOrFail(params.id)
    const setting = await PlanningSetting.findBy('activity_id', activity.id)
    if (!setting) {
      session.flash('alert.error', "Enregistrez d'abord les règles de l'activité (capacités, délais).")
      return response.redirect().toRoute('planning.staff.activity', { id: activity.id })
    }
    const { from, to } = await request.validateUsing(generateValidator)
    const result = await staffPlanningService.generate(activity, setting, { from, to })
    await audit.record({
      actor: actorOf(ctx),
      action: 'planning.days.generated',
      subjectType: 'activity',
      subjectId: activity.id,
      details: { created: result.created, updated: result.updated, notLowered: result.notLowered, skipped: result.skipped.length, patternBookings: result.patterns.booked, patternRefusals: result.patterns.refused },
    })
    session.flash(
      'alert.success',
      `${plural(result.created, 'jour créé', 'jours créés')} sur ${plural(result.open, "jour d'ouverture", "jours d'ouverture")} ; ${plural(result.skipped.length, 'jour écarté', 'jours écartés')} (fériés, fermetures, vacances) ; ` +
        `${plural(result.updated, 'jour à venir mis', 'jours à venir mis')} aux nouvelles capacités` +
        (result.notLowered > 0 ? ` ; ${plural(result.notLowered, 'jour garde ses', 'jours gardent leurs')} places (plus d'enfants réservés que les nouvelles capacités, ou accueil hors capacité).` : '.') +
        (result.patterns.patterns > 0
          ? ` Réservations régulières des familles : ${plural(result.patterns.booked, 'jour réservé', 'jours réservés')}, ${plural(result.patterns.refused, 'jour refusé', 'jours refusés')}.`
          : '')
    )
    return response.redirect().toRoute('planning.staff.activity', { id: activity.id })
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { errors } from '@vinejs/vine'
import audit from '#services/audit_service'
import { Activity } from '#modules/inscriptions/index'
import SchoolHoliday from '#modules/planning/models/school_holiday'
import Closure from '#modules/planning/models/closure'
import { publicHolidays } from '#modules/planning/services/public_holidays'
import { PARIS } from '#modules/planning/services/deadline_rules'
import { closureValidator, holidayValidator } from '#modules/planning/validators/planning'
import { actorOf } from '#modules/planning/controllers/family_access'

/** School holidays of the commune's zone and closures: what day generation leaves out. */
export default class StaffHolidaysController {
  async index({ view }: HttpContext) {
    const year = DateTime.now().setZone(PARIS).year
    const [holidays, closures, activities] = await Promise.all([
      SchoolHoliday.query().orderBy('starts_on'),
      Closure.query().orderBy('date'),
      Activity.query().orderBy('name'),
    ])
    const names = new Map(activities.map((a) => [a.id, a.name]))
    return view.render('planning::pages/staff/holidays', {
      holidays,
      closures: closures.map((c) => ({ closure: c, activity: c.activityId ? (names.get(c.activityId) ?? '') : 'Toutes les activités' })),
      activityOptions: activities.map((a) => ({ value: a.id, label: a.name })),
      publicHolidays: [...publicHolidays(year), ...publicHolidays(year + 1)],
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const data = await request.validateUsing(holidayValidator)
    const holiday = await SchoolHoliday.create({ name: data.name, zone: data.zone || 'B', startsOn: data.starts_on, endsOn: data.ends_on })
    await audit.record({ actor: actorOf(ctx), action: 'planning.holiday.created', subjectType: 'planning_school_holiday', subjectId: holiday.id, details: data })
    session.flash('alert.success', `Vacances « ${holiday.name} » enregistrées.`)
    return response.redirect().toRoute('planning.staff.holidays')
  }

  async destroy(ctx: HttpContext) {
    const holiday = await SchoolHoliday.findOrFail(ctx.params.id)
    await holiday.delete()
    await audit.record({ actor: actorOf(ctx), action: 'planning.holiday.deleted', subjectType: 'planning_school_holiday', subjectId: holiday.id, details: { name: holiday.name } })
    ctx.session.flash('alert.success', `Vacances « ${holiday.name} » supprimées.`)
    return ctx.response.redirect().toRoute('planning.staff.holidays')
  }

  async storeClosure(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(closureValidator)
    if (data.activity_id && !(await Activity.find(data.activity_id))) {
      throw new errors.E_VALIDATION_ERROR([{ field: 'activity_id', message: "Cette activité n'existe pas ou plus.", rule: 'exists' }])
    }
    const closure = await Closure.create({ date: data.date, reason: data.reason, activityId: data.activity_id ?? null })
    await audit.record({ actor: actorOf(ctx), action: 'planning.closure.created', subjectType: 'planning_closure', subjectId: closure.id, details: data })
    ctx.session.flash('alert.success', 'Fermeture enregistrée : elle sera écartée à la prochaine génération des jours.')
    return ctx.response.redirect().toRoute('planning.staff.holidays')
  }

  async destroyClosure(ctx: HttpContext) {
    const closure = await Closure.findOrFail(ctx.params.id)
    await closure.delete()
    await audit.record({ actor: actorOf(ctx), action: 'planning.closure.deleted', subjectType: 'planning_closure', subjectId: closure.id })
    ctx.session.flash('alert.success', 'Fermeture supprimée.')
    return ctx.response.redirect().toRoute('planning.staff.holidays')
  }
}

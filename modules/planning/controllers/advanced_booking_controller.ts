import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { errors } from '@vinejs/vine'
import { registrationQueryService } from '#modules/inscriptions/index'
import ActivityDay from '#modules/planning/models/activity_day'
import Booking from '#modules/planning/models/booking'
import { plural } from '#core/french'
import SchoolHoliday from '#modules/planning/models/school_holiday'
import basketService, { MAX_CHANGES } from '#modules/planning/services/basket_service'
import { actorOf } from '#modules/planning/controllers/family_access'
import { familyOf } from '#modules/dossier/index'
import { advancedValidator } from '#modules/planning/validators/planning'
import { parisDayOf, WEEKDAY_CHOICES } from '#core/calendar_day'


/** MODIFICATION AVANCÉE: a repeating pattern (weekdays between two dates, a holiday period). */
export default class AdvancedBookingController {
  async create(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) return ctx.view.render('planning::pages/no_family')
    const registrations = await registrationQueryService.validatedRegistrationsForFamily(family.id)
    const today = parisDayOf()
    const holidays = await SchoolHoliday.query().where('ends_on', '>=', today).orderBy('starts_on').limit(12)
    return ctx.view.render('planning::pages/advanced', {
      registrationOptions: registrations.map((r) => ({ value: `${r.childId}-${r.activityId}`, label: `${r.child.firstName} — ${r.activity.name}` })),
      holidayOptions: holidays.map((h) => ({ value: h.id, label: `${h.name} (du ${h.startsOn.split('-').reverse().join('/')} au ${h.endsOn.split('-').reverse().join('/')})` })),
      weekdays: WEEKDAY_CHOICES,
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const family = await familyOf(ctx)
    if (!family) return response.redirect().toRoute('planning.index')
    const data = await request.validateUsing(advancedValidator)
    const [childId, activityId] = data.registration.split('-').map(Number)
    // The validator asks for a period (from … to) when no holidays are chosen.
    let [from, to] = [data.from!, data.to!]
    if (data.holiday) {
      const holiday = await SchoolHoliday.find(data.holiday)
      if (!holiday) throw new errors.E_VALIDATION_ERROR([{ field: 'holiday', message: 'Ces vacances ne sont pas proposées.', rule: 'exists' }])
      from = holiday.startsOn
      to = holiday.endsOn
    }
    const weekdays = new Set(data.weekdays?.length ? data.weekdays : [1, 2, 3, 4, 5, 6, 7])
    const days = (await ActivityDay.query().where('activity_id', activityId).whereBetween('day', [from, to]).orderBy('day'))
      .filter((day) => weekdays.has(DateTime.fromISO(day.day).weekday))
      .slice(0, MAX_CHANGES)
    // A day already as asked (booked when booking, free when cancelling) is left alone and said so, not reported as an error.
    const booked = new Set(
      days.length ? (await Booking.query().where('child_id', childId).whereIn('activity_day_id', days.map((day) => day.id)).select('activity_day_id')).map((row) => row.activityDayId) : []
    )
    const alreadyDone = days.filter((day) => booked.has(day.id) === (data.mode === 'book'))
    const pairs = days.filter((day) => !alreadyDone.includes(day)).map((day) => ({ childId, dayId: day.id }))
    const lines = await basketService.apply(
      family.id,
      actorOf(ctx),
      data.mode === 'book' ? { toBook: pairs, toCancel: [] } : { toBook: [], toCancel: pairs }
    )
    session.flash('planning.results', lines)
    if (alreadyDone.length) {
      session.flash(
        'alert.info',
        data.mode === 'book'
          ? `${plural(alreadyDone.length, 'jour choisi était déjà réservé', 'jours choisis étaient déjà réservés')} : rien à faire pour ${alreadyDone.length > 1 ? 'eux' : 'lui'}.`
          : `${plural(alreadyDone.length, "jour choisi n'était pas réservé", "jours choisis n'étaient pas réservés")} : rien à annuler.`
      )
    } else if (!lines.length) session.flash('alert.info', "Aucun jour d'activité ne correspond à ce choix.")
    return response.redirect().toRoute('planning.index', {}, { qs: { vue: 'mois', date: from } })
  }
}

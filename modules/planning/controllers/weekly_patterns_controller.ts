import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import { familyOf, requireFamily } from '#modules/dossier/index'
import { formatDateLong } from '#core/format'
import { de } from '#core/french'
import weeklyPatterns, { weekdaysText, type PatternInput } from '#modules/planning/services/weekly_patterns'
import { parisDayOf, WEEKDAY_CHOICES } from '#core/calendar_day'
import type WeeklyPattern from '#modules/planning/models/weekly_pattern'
import type { BasketLine } from '#modules/planning/services/basket_service'
import { actorOf } from '#modules/planning/controllers/family_access'
import { weeklyPatternChangeValidator, weeklyPatternValidator } from '#modules/planning/validators/planning'

const fieldError = (field: string, message: string) => new errors.E_VALIDATION_ERROR([{ field, message, rule: 'database' }])

/** The registration's last day: its end date when it has one, else its activity's. */
function lastDayOf(registration: { endDate: string | null; activity: { endsOn: string } }) {
  return registration.endDate && registration.endDate < registration.activity.endsOn ? registration.endDate : registration.activity.endsOn
}

/**
 * Checks what needs the database (the registration, the days the activity runs, the date), and
 * gives the pattern's last day: the date asked, never past the registration's (its default).
 */
async function checkedInput(familyId: number, childId: number, activityId: number, weekdays: number[], until: string | undefined) {
  const registration = (await registrationQueryService.bookableRegistrationsForFamily(familyId)).find(
    (candidate) => candidate.childId === childId && candidate.activityId === activityId
  )
  if (!registration) throw fieldError('registration', "Choisissez l'enfant et l'activité dans la liste.")
  const runs = (await Activity.findOrFail(activityId)).weekdays ?? []
  const missing = weekdays.filter((day) => runs.length && !runs.includes(day))
  if (missing.length === 1) throw fieldError('weekdays', `${registration.activity.name} n'a pas lieu le ${weekdaysText(missing)}.`)
  if (missing.length) throw fieldError('weekdays', `${registration.activity.name} n'a pas lieu ces jours-là : ${weekdaysText(missing)}.`)
  const today = parisDayOf()
  const last = lastDayOf(registration)
  if (until && until < today) throw fieldError('until', "La date de fin ne peut pas être passée.")
  return { registration, input: { childId, activityId, weekdays: [...new Set(weekdays)].sort(), untilOn: until && until < last ? until : last } }
}

function describe(pattern: WeeklyPattern, childFirstName: string, activityName: string) {
  return `${childFirstName} à ${activityName}, chaque ${weekdaysText(pattern.weekdays)} jusqu'au ${formatDateLong(pattern.untilOn)}`
}

/** /planning/reservations-regulieres: the family's standing weekly patterns. */
export default class WeeklyPatternsController {
  async index(ctx: HttpContext) {
    const family = await familyOf(ctx)
    if (!family) return ctx.view.render('planning::pages/no_family')
    const [patterns, registrations] = await Promise.all([
      weeklyPatterns.forFamily(family.id),
      registrationQueryService.bookableRegistrationsForFamily(family.id),
    ])
    const active = new Set(patterns.filter((pattern) => pattern.active).map((pattern) => `${pattern.childId}-${pattern.activityId}`))
    return ctx.view.render('planning::pages/patterns', {
      patterns: patterns.map((pattern) => ({ pattern, days: weekdaysText(pattern.weekdays) })),
      registrationOptions: registrations
        .filter((registration) => !active.has(`${registration.childId}-${registration.activityId}`))
        .map((registration) => ({
          value: `${registration.childId}-${registration.activityId}`,
          label: `${registration.child.firstName} — ${registration.activity.name} (jusqu'au ${formatDateLong(lastDayOf(registration))})`,
        })),
      hasRegistrations: registrations.length > 0,
      weekdays: WEEKDAY_CHOICES,
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const family = await requireFamily(ctx)
    const data = await request.validateUsing(weeklyPatternValidator)
    const [childId, activityId] = data.registration.split('-').map(Number)
    const { registration, input } = await checkedInput(family.id, childId, activityId, data.weekdays, data.until)
    const saved = await weeklyPatterns.create(family.id, input, actorOf(ctx))
    if (!saved.created) {
      if (sameRule(saved.pattern, input)) {
        session.flash('alert.info', 'Cette réservation régulière est déjà enregistrée.')
        return response.redirect().toRoute('planning.patterns')
      }
      throw fieldError('registration', `Une réservation régulière existe déjà pour ${registration.child.firstName} à ${registration.activity.name} : modifiez-la ou arrêtez-la.`)
    }
    return this.#showBookings(ctx, saved.lines, `Réservation régulière enregistrée : ${describe(saved.pattern, registration.child.firstName, registration.activity.name)}.`)
  }

  async edit(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const pattern = await weeklyPatterns.findForFamily(family.id, Number(ctx.params.id))
    if (!pattern.active) return this.#stopped(ctx)
    const runs = pattern.activity.weekdays ?? []
    return ctx.view.render('planning::pages/pattern_edit', {
      pattern,
      weekdays: WEEKDAY_CHOICES.filter((day) => !runs.length || runs.includes(day.value) || pattern.weekdays.includes(day.value)),
      days: weekdaysText(pattern.weekdays),
    })
  }

  async update(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const pattern = await weeklyPatterns.findForFamily(family.id, Number(ctx.params.id))
    if (!pattern.active) return this.#stopped(ctx)
    const data = await ctx.request.validateUsing(weeklyPatternChangeValidator)
    const registrations = await registrationQueryService.bookableRegistrationsForFamily(family.id)
    if (!registrations.some((registration) => registration.childId === pattern.childId && registration.activityId === pattern.activityId)) {
      ctx.session.flash('alert.error', `L'inscription ${de(pattern.child.firstName)} à ${pattern.activity.name} est terminée : cette réservation régulière ne peut plus être modifiée.`)
      return ctx.response.redirect().toRoute('planning.patterns')
    }
    const { input } = await checkedInput(family.id, pattern.childId, pattern.activityId, data.weekdays, data.until)
    const lines = await weeklyPatterns.update(pattern, input, actorOf(ctx))
    if (!lines) return this.#stopped(ctx)
    pattern.merge({ weekdays: input.weekdays, untilOn: input.untilOn })
    return this.#showBookings(ctx, lines, `Réservation régulière modifiée : ${describe(pattern, pattern.child.firstName, pattern.activity.name)}. Les jours déjà réservés le restent.`)
  }

  async stop(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const pattern = await weeklyPatterns.findForFamily(family.id, Number(ctx.params.id))
    if (await weeklyPatterns.stop(pattern)) {
      ctx.session.flash(
        'alert.success',
        `Réservation régulière ${de(pattern.child.firstName)} à ${pattern.activity.name} arrêtée : les jours déjà réservés le restent, aucun nouveau jour ne sera réservé.`
      )
    } else ctx.session.flash('alert.info', 'Cette réservation régulière était déjà arrêtée.')
    return ctx.response.redirect().toRoute('planning.patterns')
  }

  /** Each day tried, accepted or refused with its reason, on the planning as a basket's result. */
  #showBookings({ response, session }: HttpContext, lines: BasketLine[], sentence: string) {
    session.flash('alert.success', sentence)
    if (lines.length) session.flash('planning.results', lines)
    else session.flash('alert.info', "Aucun jour ouvert ne correspond pour l'instant : les jours que le service ouvrira seront réservés à leur création.")
    return response.redirect().toRoute('planning.index')
  }

  #stopped({ response, session }: HttpContext) {
    session.flash('alert.info', 'Cette réservation régulière est arrêtée : créez-en une nouvelle pour reprendre.')
    return response.redirect().toRoute('planning.patterns')
  }
}

function sameRule(pattern: WeeklyPattern, input: PatternInput) {
  return pattern.untilOn === input.untilOn && JSON.stringify([...pattern.weekdays].sort()) === JSON.stringify(input.weekdays)
}

import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Activity from '#modules/inscriptions/models/activity'
import Registration, { REGISTRATION_STATES, STATE_LABELS, type RegistrationState } from '#modules/inscriptions/models/registration'
import registrationService from '#modules/inscriptions/services/registration_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays, isCalendarDay } from '#core/calendar_day'
import { bulkDecisionValidator, refusalValidator } from '#modules/inscriptions/validators/inscriptions'
import { actorOf, fieldError } from '#modules/inscriptions/controllers/context'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { listInput } from '#core/list_input'
import { byCount, formatNumber } from '#core/french'
import { pageNumber } from '#core/pagination'

const PER_PAGE = 50

/** The queue of requests: filters, one-by-one and bulk decisions, refusals with a reason. */
export default class StaffRequestsController {
  async index({ request, view }: HttpContext) {
    const activityId = Number(request.input('activite')) || null
    const rawState = String(request.input('etat', 'requested'))
    const state = (REGISTRATION_STATES as string[]).includes(rawState) ? (rawState as RegistrationState) : rawState === 'tous' ? null : 'requested'
    const day = isCalendarDay(request.input('date')) ? (request.input('date') as string) : null
    const page = pageNumber(request.input('page'))

    const query = Registration.query()
      .preload('activity')
      .preload('child')
      .preload('family', (family) => family.preload('guardians'))
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
    if (activityId) query.where('activity_id', activityId)
    if (state) query.where('state', state)
    if (day) {
      // as Lucid writes created_at: the dialect's format, in the process's zone
      const format = db.connection().dialect.dateTimeFormat
      const start = DateTime.fromISO(day, { zone: 'Europe/Paris' }).startOf('day').toLocal().toFormat(format)
      const end = DateTime.fromISO(addDays(day, 1), { zone: 'Europe/Paris' }).startOf('day').toLocal().toFormat(format)
      query.where('created_at', '>=', start).where('created_at', '<', end)
    }
    const registrations = await query.paginate(page, PER_PAGE)
    const params = new URLSearchParams()
    if (activityId) params.set('activite', String(activityId))
    params.set('etat', state ?? 'tous')
    if (day) params.set('date', day)
    registrations.baseUrl(router.makeUrl('inscriptions.staff.requests'))
    const activities = await Activity.query().preload('activityType').orderBy('starts_on', 'desc').orderBy('name')
    return view.render('inscriptions::pages/staff/requests', {
      registrations: registrations.all(),
      meta: registrations.getMeta(),
      baseUrl: router.makeUrl('inscriptions.staff.requests') + '?' + params.toString(),
      filters: { activityId, state: state ?? 'tous', day: day ?? '' },
      activities,
      states: [
        { value: 'tous', label: 'Tous les états' },
        ...REGISTRATION_STATES.map((value) => ({
          value,
          label: STATE_LABELS[value],
        })),
      ],
    })
  }

  async validate(ctx: HttpContext) {
    const registration = await Registration.query().where('id', ctx.params.id).preload('child').preload('activity').firstOrFail()
    try {
      const outcome = await registrationService.validate(registration.id, actorOf(ctx))
      ctx.session.flash(
        'alert.success',
        outcome === 'validated'
          ? `Inscription validée : ${registration.child.firstName} — ${registration.activity.name}.`
          : `L'activité ${registration.activity.name} est complète : ${registration.child.firstName} est en liste d'attente.`
      )
    } catch (error) {
      if (!(error instanceof InscriptionRefusal)) throw error
      ctx.session.flash('alert.error', error.message)
    }
    return ctx.response.redirect().back()
  }

  async refuseForm({ params, view }: HttpContext) {
    const registration = await Registration.query().where('id', params.id).preload('child').preload('activity').firstOrFail()
    return view.render('inscriptions::pages/staff/refuse', { registration })
  }

  async refuse(ctx: HttpContext) {
    const registration = await Registration.query().where('id', ctx.params.id).preload('child').preload('activity').firstOrFail()
    const { reason } = await ctx.request.validateUsing(refusalValidator)
    try {
      await registrationService.refuse(registration.id, actorOf(ctx), reason)
    } catch (error) {
      if (error instanceof InscriptionRefusal) throw fieldError('reason', error.message)
      throw error
    }
    ctx.session.flash('alert.success', `Demande refusée : ${registration.child.firstName} — ${registration.activity.name}. La famille est prévenue.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.requests')
  }

  /** Several requests at once, decided in their order of arrival. */
  async bulk(ctx: HttpContext) {
    const data = await bulkDecisionValidator.validate({
      ...ctx.request.only(['decision', 'reason']),
      ids: listInput(ctx.request.input('ids')),
    })
    const registrations = await Registration.query().whereIn('id', data.ids).orderBy('created_at', 'asc').orderBy('id', 'asc')
    const actor = actorOf(ctx)
    const counts = { validated: 0, waiting: 0, refused: 0, skipped: 0 }
    for (const registration of registrations) {
      try {
        if (data.decision === 'validate') counts[await registrationService.validate(registration.id, actor)] += 1
        else {
          await registrationService.refuse(registration.id, actor, data.reason)
          counts.refused += 1
        }
      } catch (error) {
        if (!(error instanceof InscriptionRefusal)) throw error
        counts.skipped += 1
      }
    }
    const parts = [
      counts.validated ? `${formatNumber(counts.validated)} ${byCount(counts.validated, 'validée', 'validées')}` : null,
      counts.waiting ? `${formatNumber(counts.waiting)} en liste d'attente` : null,
      counts.refused ? `${formatNumber(counts.refused)} ${byCount(counts.refused, 'refusée', 'refusées')}` : null,
      counts.skipped ? `${formatNumber(counts.skipped)} ${byCount(counts.skipped, 'déjà traitée, laissée telle quelle', 'déjà traitées, laissées telles quelles')}` : null,
    ].filter(Boolean)
    ctx.session.flash('alert.success', `Demandes traitées : ${parts.join(', ') || 'aucune'}.`)
    return ctx.response.redirect().back()
  }

  async confirmCancel({ params, view }: HttpContext) {
    const registration = await Registration.query().where('id', params.id).preload('child').preload('activity').preload('family').firstOrFail()
    const started = registration.state === 'validated' && registration.startDate < todayIso()
    return view.render('inscriptions::pages/staff/cancel', { registration, endDate: started ? addDays(todayIso(), -1) : null })
  }

  /** The service cancels (or ends yesterday) a registration, whatever the deadline. */
  async cancel(ctx: HttpContext) {
    const registration = await Registration.query().where('id', ctx.params.id).preload('child').preload('activity').firstOrFail()
    try {
      await registrationService.cancel(registration.id, {
        actor: actorOf(ctx),
        staff: true,
      })
      ctx.session.flash(
        'alert.success',
        `Inscription annulée : ${registration.child.firstName} — ${registration.activity.name}. La famille est prévenue.`
      )
    } catch (error) {
      if (!(error instanceof InscriptionRefusal)) throw error
      ctx.session.flash('alert.error', error.message)
    }
    return ctx.response.redirect().toRoute('inscriptions.staff.activities.show', { id: registration.activityId })
  }
}

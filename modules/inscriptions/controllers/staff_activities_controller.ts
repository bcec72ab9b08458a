import type { HttpContext } from '@adonisjs/core/http'
import { pageNumber } from '#core/pagination'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import { toCsv } from '#core/csv'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import { fileSlug, registrationsTable } from '#modules/inscriptions/services/registration_export'
import registrationService from '#modules/inscriptions/services/registration_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { activityValidator, reorderValidator } from '#modules/inscriptions/validators/inscriptions'
import { actorOf, fieldError } from '#modules/inscriptions/controllers/context'
import { WEEKDAY_NAMES, amountLabel, weekdaysLabel } from '#modules/inscriptions/services/presenters'
import { byCount, plural } from '#core/french'
import { serviceNames } from '#modules/inscriptions/services/commune_services'

const ZONE = 'Europe/Paris'

function euros(amount: number | null) {
  return amount === null ? '' : (amount / 100).toFixed(2).replace('.', ',')
}

function cents(value: string | undefined): number | null {
  if (value === undefined || value === '') return null
  return Math.round(Number(value.replace(',', '.')) * 100)
}

function list(text: string | undefined, separator: RegExp): string[] {
  return (text ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean)
}

function formValues(activity?: Activity) {
  return {
    activityTypeId: activity?.activityTypeId ?? '',
    name: activity?.name ?? '',
    startsOn: activity?.startsOn ?? '',
    endsOn: activity?.endsOn ?? '',
    minAgeMonths: activity?.minAgeMonths ?? '',
    maxAgeMonths: activity?.maxAgeMonths ?? '',
    schoolLevels: activity?.schoolLevels?.join(', ') ?? '',
    places: activity?.places ?? '',
    structureName: activity?.structureName ?? '',
    registrationOpensOn: activity?.registrationOpensAt?.setZone(ZONE).toISODate() ?? '',
    registrationClosesOn: activity?.registrationClosesAt?.setZone(ZONE).toISODate() ?? '',
    fee: activity ? euros(activity.feeCents) : '0,00',
    displayedAmount: activity ? euros(activity.displayedAmountCents) : '',
    autoAccept: activity?.autoAccept ?? false,
    cancellationDeadlineDays: activity?.cancellationDeadlineDays ?? 2,
    requiredDocuments: activity?.requiredDocuments.join('\n') ?? '',
    weekdays: activity?.weekdays ?? [1, 2, 4, 5],
    unitLabel: activity?.unitLabel ?? 'jour',
  }
}

/** Activities: their rules, their registrations, the waiting list and the CSV export. */
export default class StaffActivitiesController {
  async index({ request, view }: HttpContext) {
    const typeId = Number(request.input('type')) || null
    const query = Activity.query().preload('activityType').orderBy('starts_on', 'desc').orderBy('name')
    if (typeId) query.where('activity_type_id', typeId)
    const activities = await query
    const counts = await db
      .from('registrations')
      .select('activity_id', 'state')
      .count('* as total')
      .whereIn('state', ['requested', 'waiting'])
      .groupBy('activity_id', 'state')
    const pending = new Map<string, number>(counts.map((row) => [`${row.activity_id}:${row.state}`, Number(row.total)]))
    const types = await ActivityType.query().orderBy('position').orderBy('name')
    return view.render('inscriptions::pages/staff/activities', {
      activities: activities.map((activity) => ({
        activity,
        requested: pending.get(`${activity.id}:requested`) ?? 0,
        waiting: pending.get(`${activity.id}:waiting`) ?? 0,
      })),
      types,
      typeId,
      serviceNames: await serviceNames(),
    })
  }

  async create({ view }: HttpContext) {
    return view.render('inscriptions::pages/staff/activity_form', {
      activity: null,
      values: formValues(),
      ...(await this.formData()),
    })
  }

  async store(ctx: HttpContext) {
    const activity = new Activity()
    await this.save(ctx, activity)
    ctx.session.flash('alert.success', `L'activité « ${activity.name} » est enregistrée.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.activities.show', { id: activity.id })
  }

  async show({ params, request, view }: HttpContext) {
    const activity = await Activity.query().where('id', params.id).preload('activityType').firstOrFail()
    // 50 a page: a commune's canteen has thousands of registrations.
    const registrations = await Registration.query()
      .where('activity_id', activity.id)
      .whereNot('state', 'waiting')
      .preload('child')
      .preload('family', (family) => family.preload('guardians'))
      .preload('decider')
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .paginate(pageNumber(request.input('page')), 50)
    registrations.baseUrl(router.makeUrl('inscriptions.staff.activities.show', { id: activity.id }))
    const waiting = await registrationService.waitingList(activity.id)
    return view.render('inscriptions::pages/staff/activity', {
      activity,
      registrations,
      waiting,
      amount: amountLabel(activity),
      weekdays: weekdaysLabel(activity.weekdays),
    })
  }

  async edit({ params, view }: HttpContext) {
    const activity = await Activity.findOrFail(params.id)
    return view.render('inscriptions::pages/staff/activity_form', {
      activity,
      values: formValues(activity),
      ...(await this.formData()),
    })
  }

  async update(ctx: HttpContext) {
    const activity = await Activity.findOrFail(ctx.params.id)
    await this.save(ctx, activity)
    const promoted = await registrationService.fillFromWaitingList(activity.id, actorOf(ctx))
    ctx.session.flash(
      'alert.success',
      `L'activité « ${activity.name} » est mise à jour.` +
        (promoted ? ` ${plural(promoted, 'inscription', 'inscriptions')} de la liste d'attente ${byCount(promoted, 'validée', 'validées')} sur les places ajoutées.` : '')
    )
    return ctx.response.redirect().toRoute('inscriptions.staff.activities.show', { id: activity.id })
  }

  async destroy(ctx: HttpContext) {
    const activity = await Activity.findOrFail(ctx.params.id)
    const used = await Registration.query().where('activity_id', activity.id).first()
    if (used) {
      ctx.session.flash('alert.error', `L'activité « ${activity.name} » a des inscriptions ou des demandes : elle ne peut pas être supprimée.`)
      return ctx.response.redirect().toRoute('inscriptions.staff.activities.show', { id: activity.id })
    }
    await activity.delete()
    await audit.record({
      actor: actorOf(ctx),
      action: 'inscriptions.activity.deleted',
      subjectType: 'activity',
      subjectId: activity.id,
      details: { name: activity.name },
    })
    ctx.session.flash('alert.success', `L'activité « ${activity.name} » est supprimée.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.activities.index')
  }

  /** Moves a waiting request to another rank, with the reason (audit log). */
  async reorder(ctx: HttpContext) {
    const registration = await Registration.query().where('id', ctx.params.id).preload('child').firstOrFail()
    const data = await ctx.request.validateUsing(reorderValidator)
    try {
      await registrationService.reorderWaiting(registration.id, data.rank, actorOf(ctx), data.reason)
      ctx.session.flash(
        'alert.success',
        `${registration.child.firstName} est maintenant au rang ${data.rank} de la liste d'attente (ou au dernier rang).`
      )
    } catch (error) {
      if (!(error instanceof InscriptionRefusal)) throw error
      ctx.session.flash('alert.error', error.message)
    }
    return ctx.response.redirect().toRoute('inscriptions.staff.activities.show', {
      id: registration.activityId,
    })
  }

  /** The activity's registrations for a French Excel (`;`, BOM, formulas neutralised). */
  async export(ctx: HttpContext) {
    const activity = await Activity.findOrFail(ctx.params.id)
    const { header, rows } = await registrationsTable(activity)
    await audit.record({
      actor: actorOf(ctx),
      action: 'inscriptions.activity.exported',
      subjectType: 'activity',
      subjectId: activity.id,
      details: { rows: rows.length },
    })
    ctx.response.header('Content-Type', 'text/csv; charset=utf-8')
    ctx.response.header('Content-Disposition', `attachment; filename="inscriptions-${fileSlug(activity.name) || activity.id}.csv"`)
    return ctx.response.send(toCsv(header, rows))
  }

  private async formData() {
    const types = await ActivityType.query().orderBy('position').orderBy('name')
    return {
      types: types.map((type) => ({ value: type.id, label: type.name })),
      weekdayNames: WEEKDAY_NAMES,
    }
  }

  private async save(ctx: HttpContext, activity: Activity) {
    const data = await ctx.request.validateUsing(activityValidator)
    if (!(await ActivityType.find(data.activityTypeId))) throw fieldError('activityTypeId', "Choisissez un type d'activité de la liste.")
    const values = {
      activityTypeId: data.activityTypeId,
      name: data.name,
      startsOn: data.startsOn,
      endsOn: data.endsOn,
      minAgeMonths: data.minAgeMonths ?? null,
      maxAgeMonths: data.maxAgeMonths ?? null,
      schoolLevels: list(data.schoolLevels, /[,;]/).map((level) => level.toUpperCase()),
      places: data.places ?? null,
      structureName: data.structureName || null,
      registrationOpensAt: data.registrationOpensOn ? DateTime.fromISO(data.registrationOpensOn, { zone: ZONE }).startOf('day').toUTC() : null,
      registrationClosesAt: data.registrationClosesOn ? DateTime.fromISO(data.registrationClosesOn, { zone: ZONE }).endOf('day').toUTC() : null,
      feeCents: cents(data.fee) ?? 0,
      displayedAmountCents: cents(data.displayedAmount),
      autoAccept: !!data.autoAccept,
      cancellationDeadlineDays: data.cancellationDeadlineDays,
      requiredDocuments: list(data.requiredDocuments, /\r?\n/),
      weekdays: [...new Set(data.weekdays)].sort(),
      unitLabel: data.unitLabel,
    }
    const schoolLevels = values.schoolLevels.length ? values.schoolLevels : null
    const actor = actorOf(ctx)
    await db.transaction(async (trx) => {
      if (activity.$isPersisted) {
        // the count moves only under this lock: the new cap cannot fall under it meanwhile
        await trx
          .from('activities')
          .where('id', activity.id)
          .update({ registered_count: trx.knexRawQuery('registered_count') })
        const current = await trx.from('activities').where('id', activity.id).select('registered_count').firstOrFail()
        if (values.places !== null && values.places < Number(current.registered_count)) {
          throw fieldError(
            'places',
            `Il y a déjà ${plural(Number(current.registered_count), 'inscription validée', 'inscriptions validées')} : le nombre de places ne peut pas être inférieur.`
          )
        }
      }
      activity.useTransaction(trx)
      activity.merge({ ...values, schoolLevels })
      if (!activity.$isPersisted) activity.registeredCount = 0
      await activity.save()
      await audit.record(
        {
          actor,
          action: activity.$isLocal ? 'inscriptions.activity.created' : 'inscriptions.activity.updated',
          subjectType: 'activity',
          subjectId: activity.id,
          details: { name: activity.name, places: activity.places },
        },
        trx
      )
    })
  }
}

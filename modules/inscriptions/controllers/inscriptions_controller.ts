import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { familyService, Child } from '#modules/dossier/index'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import registrationService from '#modules/inscriptions/services/registration_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { entryWindow, registrationOpen } from '#modules/inscriptions/services/eligibility'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { activityLabel, amountLabel, periodLabel } from '#modules/inscriptions/services/presenters'
import { requestValidator } from '#modules/inscriptions/validators/inscriptions'
import { actorOf, currentFamily } from '#modules/inscriptions/controllers/context'
import moduleRegistry from '#core/module_registry'
import { formatDate } from '#core/format'
import { de } from '#core/french'

function positiveInt(value: unknown): number | null {
  const number = Number(value)
  return Number.isInteger(number) && number > 0 ? number : null
}

/** INSCRIPTIONS for parents: the children's registrations, a new request, a cancellation. */
export default class InscriptionsController {
  /** LES INSCRIPTIONS DE MES ENFANTS, per child or all, grouped by activity type. */
  async index(ctx: HttpContext) {
    if (ctx.auth.user?.isStaff) return ctx.response.redirect().toRoute('inscriptions.staff.requests')
    const { family } = await currentFamily(ctx)
    const children = await familyService.childrenOf(family.id)
    const wanted = positiveInt(ctx.request.input('enfant'))
    const selected = children.find((child) => child.id === wanted) ?? null
    const types = await ActivityType.query().orderBy('position').orderBy('name')
    const query = Registration.query()
      .where('family_id', family.id)
      .preload('activity')
      .preload('child')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (selected) query.where('child_id', selected.id)
    const registrations = await query
    const today = todayIso()
    const rows = registrations.map((registration) => {
      const plan = registration.isActive ? registrationService.cancellationPlan(registration, registration.activity, today) : null
      return {
        id: registration.id,
        typeId: registration.activity.activityTypeId,
        childName: registration.child.firstName,
        activity: registration.activity.name,
        period: periodLabel(registration, registration.activity),
        requestedOn: formatDate(registration.createdAt),
        state: registration.state,
        stateLabel: registration.stateLabel,
        canCancel: !!plan && plan.kind !== 'too-late',
        cancelLabel: plan?.kind === 'withdraw' ? 'Retirer la demande' : plan?.kind === 'end' ? "Mettre fin à l'inscription" : "Annuler l'inscription",
        tooLate: plan?.kind === 'too-late',
      }
    })
    const groups = types.map((type) => ({
      id: type.id,
      name: type.name,
      rows: rows.filter((row) => row.typeId === type.id),
    }))
    return ctx.view.render('inscriptions::pages/index', {
      children,
      selected,
      groups,
      total: rows.length,
      planningEnabled: moduleRegistry.isEnabled('planning'),
    })
  }

  /**
   * DEMANDE D'INSCRIPTION in two steps that work without JavaScript: the activity type and the
   * child (GET), then the form with the activities that fit that child.
   */
  async create(ctx: HttpContext) {
    const { family } = await currentFamily(ctx)
    const children = await familyService.childrenOf(family.id)
    const types = await ActivityType.query().orderBy('position').orderBy('name')
    const typeId = positiveInt(ctx.request.input('type'))
    const childId = positiveInt(ctx.request.input('enfant'))
    const type = types.find((candidate) => candidate.id === typeId) ?? null
    const child = childId ? await Child.query().where('family_id', family.id).where('id', childId).firstOrFail() : null
    if (!type || !child) {
      return ctx.view.render('inscriptions::pages/choose', {
        children,
        types,
        typeId,
        childId,
      })
    }
    return ctx.view.render('inscriptions::pages/request', {
      type,
      child,
      ...(await this.choices(type.id, child)),
    })
  }

  async store(ctx: HttpContext) {
    const { user, family } = await currentFamily(ctx)
    const data = await ctx.request.validateUsing(requestValidator)
    const child = await Child.query().where('family_id', family.id).where('id', data.childId).firstOrFail()
    const formUrl = router.makeUrl('inscriptions.create', {}, { qs: { type: data.activityTypeId, enfant: child.id } })
    const activity = await Activity.find(data.activityId)
    if (!activity || activity.activityTypeId !== data.activityTypeId) {
      return this.backWithError(ctx, formUrl, 'activityId', 'Choisissez une activité de la liste.')
    }
    try {
      const registration = await registrationService.request({
        familyId: family.id,
        childId: child.id,
        activityId: activity.id,
        startDate: data.startDate,
        user: { id: user.id, fullName: user.fullName },
      })
      const planning = 'Suite à la validation de la demande, vous pourrez réserver les jours sur le planning.'
      const messages: Record<string, string> = {
        requested: `La demande d'inscription ${de(child.firstName)} à l'activité ${activity.name} est enregistrée. ${planning}`,
        validated: `L'inscription ${de(child.firstName)} à l'activité ${activity.name} est validée : vous pouvez réserver les jours sur le planning.`,
        waiting: `L'activité ${activity.name} est complète : la demande ${de(child.firstName)} est en liste d'attente (rang ${registration.waitingRank}). ${planning}`,
      }
      ctx.session.flash('alert.success', messages[registration.state] ?? messages.requested)
      return ctx.response.redirect().toRoute('inscriptions.index', {}, { qs: { enfant: child.id } })
    } catch (error) {
      if (error instanceof InscriptionRefusal) return this.backWithError(ctx, formUrl, error.field ?? 'activityId', error.message)
      throw error
    }
  }

  /** What cancelling means for this registration today (or why it is too late). */
  async confirmCancel(ctx: HttpContext) {
    const { family } = await currentFamily(ctx)
    const registration = await Registration.query()
      .where('family_id', family.id)
      .where('id', ctx.params.id)
      .preload('activity')
      .preload('child')
      .firstOrFail()
    const plan = registration.isActive ? registrationService.cancellationPlan(registration, registration.activity) : null
    return ctx.view.render('inscriptions::pages/cancel', {
      registration,
      plan,
      period: periodLabel(registration, registration.activity),
      // Too late to cancel online: how else to ask (messaging: write to the service).
      tooLateCards: plan?.kind === 'too-late' ? await moduleRegistry.fillSlot('inscriptions.cancel.too-late', ctx) : [],
    })
  }

  async cancel(ctx: HttpContext) {
    const { family } = await currentFamily(ctx)
    const registration = await Registration.query()
      .where('family_id', family.id)
      .where('id', ctx.params.id)
      .preload('activity')
      .preload('child')
      .firstOrFail()
    try {
      const plan = await registrationService.cancel(registration.id, {
        actor: actorOf(ctx),
        staff: false,
        familyId: family.id,
      })
      const what = `${registration.child.firstName} — ${registration.activity.name}`
      ctx.session.flash(
        'alert.success',
        plan.kind === 'withdraw'
          ? `La demande d'inscription est retirée (${what}).`
          : plan.kind === 'end'
            ? `L'inscription prendra fin après le ${formatDate(plan.endDate)} (${what}).`
            : `L'inscription est annulée (${what}).`
      )
      return ctx.response.redirect().toRoute('inscriptions.index', {}, { qs: { enfant: registration.childId } })
    } catch (error) {
      if (!(error instanceof InscriptionRefusal)) throw error
      ctx.session.flash('alert.error', error.message)
      return ctx.response.redirect().toRoute('inscriptions.confirm_cancel', { id: registration.id })
    }
  }

  private backWithError({ session, response }: HttpContext, url: string, field: string, message: string) {
    session.flashExcept(['_csrf'])
    session.flash('inputErrorsBag', { [field]: [message] })
    return response.redirect(url)
  }

  /** The activities of a type the child may ask for now, and those it may not (with why). */
  private async choices(typeId: number, child: Child) {
    const today = todayIso()
    const activities = await Activity.query().where('activity_type_id', typeId).where('ends_on', '>=', today).orderBy('starts_on').orderBy('name')
    const active = await Registration.query()
      .where('child_id', child.id)
      .whereIn('activity_id', activities.map((a) => a.id).concat(0))
      .whereNotNull('active_key')
    const taken = new Map(active.map((registration) => [registration.activityId, registration]))
    const options: {
      value: number
      label: string
      from: string
      to: string
      amount: string | null
      name: string
      documents: string[]
    }[] = []
    const unavailable: { label: string; why: string }[] = []
    for (const activity of activities) {
      const window = entryWindow(activity, child, today)
      if (!window) continue
      const existing = taken.get(activity.id)
      if (existing) {
        unavailable.push({
          label: activityLabel(activity),
          why: `${child.firstName} : inscription ${existing.stateLabel}, pas de seconde demande possible`,
        })
        continue
      }
      if (!registrationOpen(activity)) {
        const opens = activity.registrationOpensAt && activity.registrationOpensAt.toMillis() > Date.now()
        unavailable.push({
          label: activityLabel(activity),
          why: opens
            ? `inscriptions ouvertes à partir du ${formatDate(activity.registrationOpensAt)}`
            : `inscriptions closes depuis le ${formatDate(activity.registrationClosesAt)}`,
        })
        continue
      }
      options.push({
        value: activity.id,
        label: activityLabel(activity),
        from: window.from,
        to: window.to,
        amount: amountLabel(activity),
        name: activity.name,
        documents: activity.requiredDocuments,
      })
    }
    return {
      options,
      unavailable,
      defaultDate: options.length === 1 ? options[0].from : '',
      minDate: options.length ? options.map((o) => o.from).sort()[0] : null,
      maxDate: options.length
        ? options
            .map((o) => o.to)
            .sort()
            .at(-1)
        : null,
      simulatorEnabled: moduleRegistry.isEnabled('billing'),
    }
  }
}

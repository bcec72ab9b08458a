import type { HttpContext } from '@adonisjs/core/http'
import audit from '#services/audit_service'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import { UNKNOWN_SERVICE, activityTypeValidator } from '#modules/inscriptions/validators/inscriptions'
import { actorOf, fieldError } from '#modules/inscriptions/controllers/context'
import { isUniqueViolation } from '#core/sql_results'
import { foldCase } from '#core/fold_case'
import { serviceExists, serviceNames, serviceOptions } from '#modules/inscriptions/services/commune_services'

const TAKEN = "Un type d'activité porte déjà ce nom."

/** Activity types (Accueil périscolaire, Accueil de loisirs, Restauration scolaire...). */
export default class StaffActivityTypesController {
  async index({ view }: HttpContext) {
    const types = await ActivityType.query().withCount('activities').orderBy('position').orderBy('name')
    return view.render('inscriptions::pages/staff/types', { types, serviceNames: await serviceNames() })
  }

  async create({ view }: HttpContext) {
    return view.render('inscriptions::pages/staff/type_form', {
      type: null,
      services: await serviceOptions(),
      values: { name: '', description: '', position: 0, serviceId: '' },
    })
  }

  async store(ctx: HttpContext) {
    const type = new ActivityType()
    await this.save(ctx, type, 'inscriptions.activity_type.created')
    ctx.session.flash('alert.success', `Le type d'activité « ${type.name} » est enregistré.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.types.index')
  }

  async edit({ params, view }: HttpContext) {
    const type = await ActivityType.findOrFail(params.id)
    return view.render('inscriptions::pages/staff/type_form', {
      type,
      services: await serviceOptions(),
      values: {
        name: type.name,
        description: type.description ?? '',
        position: type.position,
        serviceId: type.serviceId ?? '',
      },
    })
  }

  async update(ctx: HttpContext) {
    const type = await ActivityType.findOrFail(ctx.params.id)
    await this.save(ctx, type, 'inscriptions.activity_type.updated')
    ctx.session.flash('alert.success', `Le type d'activité « ${type.name} » est mis à jour.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.types.index')
  }

  async destroy(ctx: HttpContext) {
    const type = await ActivityType.findOrFail(ctx.params.id)
    const used = await Activity.query().where('activity_type_id', type.id).first()
    if (used) {
      ctx.session.flash('alert.error', `Le type « ${type.name} » a des activités : supprimez-les ou rattachez-les à un autre type d'abord.`)
      return ctx.response.redirect().toRoute('inscriptions.staff.types.index')
    }
    await type.delete()
    await audit.record({
      actor: actorOf(ctx),
      action: 'inscriptions.activity_type.deleted',
      subjectType: 'activity_type',
      subjectId: type.id,
      details: { name: type.name },
    })
    ctx.session.flash('alert.success', `Le type d'activité « ${type.name} » est supprimé.`)
    return ctx.response.redirect().toRoute('inscriptions.staff.types.index')
  }

  private async save(ctx: HttpContext, type: ActivityType, action: string) {
    const data = await ctx.request.validateUsing(activityTypeValidator)
    const others = await ActivityType.query().whereNot('id', type.id ?? 0).select('name')
    if (others.some((other) => foldCase(other.name) === foldCase(data.name))) throw fieldError('name', TAKEN)
    const serviceId = data.serviceId ?? null
    if (serviceId !== null && !(await serviceExists(serviceId))) throw fieldError('serviceId', UNKNOWN_SERVICE)
    type.merge({
      name: data.name,
      description: data.description ?? null,
      position: data.position ?? 0,
      serviceId,
    })
    try {
      await type.save()
    } catch (error) {
      // the same name sent twice at the same instant: the unique key refuses the second one
      if (isUniqueViolation(error)) throw fieldError('name', TAKEN)
      throw error
    }
    await audit.record({
      actor: actorOf(ctx),
      action,
      subjectType: 'activity_type',
      subjectId: type.id,
      details: { name: type.name, serviceId: type.serviceId },
    })
  }
}

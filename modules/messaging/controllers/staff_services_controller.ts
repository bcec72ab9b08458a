import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import audit from '#services/audit_service'
import Service from '#modules/messaging/models/service'
import ServiceTopic from '#modules/messaging/models/service_topic'
import catalogService from '#modules/messaging/services/catalog_service'
import { moveValidator, nameValidator } from '#modules/messaging/validators/messaging'
import { sendBack, validateInto, type FieldMessage } from '#modules/messaging/controllers/form_errors'

/** Services and their topics (the form's "Service" and "Thème" lists): list, add, rename, reorder. */
export default class StaffServicesController {
  private actor(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    return { id: user.id, fullName: user.fullName }
  }

  private back() {
    return router.makeUrl('messaging.staff.services')
  }

  /**
   * Validates the name typed in one of the page's forms (each form has its own field name, so
   * a refusal is shown beside the right field); a duplicate is refused too.
   */
  private async name(ctx: HttpContext, field: string, taken: (name: string) => Promise<boolean>) {
    const problems: FieldMessage[] = []
    const data = await validateInto(nameValidator, { name: ctx.request.input(field) }, problems)
    if (data && (await taken(data.name))) {
      problems.push({ field, message: 'Ce nom est déjà utilisé.', rule: 'unique' })
    }
    if (!data || problems.length) {
      sendBack(ctx, problems.map((problem) => ({ ...problem, field })), this.back())
      return null
    }
    return data.name
  }

  async index({ view }: HttpContext) {
    return view.render('messaging::pages/staff/services', { services: await catalogService.servicesWithTopics() })
  }

  async storeService(ctx: HttpContext) {
    const name = await this.name(ctx, 'new_service', async (wanted) => Boolean(await Service.findBy('name', wanted)))
    if (!name) return
    const service = await catalogService.createService(name)
    await audit.record({ actor: this.actor(ctx), action: 'messaging.service.created', subjectType: 'service', subjectId: service.id, details: { name } })
    ctx.session.flash('alert.success', `Le service « ${name} » est ajouté.`)
    return ctx.response.redirect(this.back())
  }

  async renameService(ctx: HttpContext) {
    const service = await Service.findOrFail(ctx.params.id)
    const name = await this.name(ctx, `service_${service.id}`, async (wanted) =>
      Boolean(await Service.query().where('name', wanted).whereNot('id', service.id).first())
    )
    if (!name) return
    const before = service.name
    service.name = name
    await service.save()
    await audit.record({ actor: this.actor(ctx), action: 'messaging.service.renamed', subjectType: 'service', subjectId: service.id, details: { before, after: name } })
    ctx.session.flash('alert.success', `Le service « ${before} » s'appelle désormais « ${name} ».`)
    return ctx.response.redirect(this.back())
  }

  async moveService(ctx: HttpContext) {
    const service = await Service.findOrFail(ctx.params.id)
    const { direction } = await ctx.request.validateUsing(moveValidator)
    await catalogService.moveService(service.id, direction)
    await audit.record({ actor: this.actor(ctx), action: 'messaging.service.moved', subjectType: 'service', subjectId: service.id, details: { direction } })
    ctx.session.flash('alert.success', `Le service « ${service.name} » est déplacé.`)
    return ctx.response.redirect(this.back())
  }

  async storeTopic(ctx: HttpContext) {
    const service = await Service.findOrFail(ctx.params.id)
    const name = await this.name(ctx, `new_topic_${service.id}`, async (wanted) =>
      Boolean(await ServiceTopic.query().where('service_id', service.id).where('name', wanted).first())
    )
    if (!name) return
    const topic = await catalogService.createTopic(service.id, name)
    await audit.record({ actor: this.actor(ctx), action: 'messaging.topic.created', subjectType: 'service_topic', subjectId: topic.id, details: { service: service.name, name } })
    ctx.session.flash('alert.success', `Le thème « ${name} » est ajouté au ${service.name}.`)
    return ctx.response.redirect(this.back())
  }

  async renameTopic(ctx: HttpContext) {
    const topic = await ServiceTopic.findOrFail(ctx.params.id)
    const name = await this.name(ctx, `topic_${topic.id}`, async (wanted) =>
      Boolean(await ServiceTopic.query().where('service_id', topic.serviceId).where('name', wanted).whereNot('id', topic.id).first())
    )
    if (!name) return
    const before = topic.name
    topic.name = name
    await topic.save()
    await audit.record({ actor: this.actor(ctx), action: 'messaging.topic.renamed', subjectType: 'service_topic', subjectId: topic.id, details: { before, after: name } })
    ctx.session.flash('alert.success', `Le thème « ${before} » s'appelle désormais « ${name} ».`)
    return ctx.response.redirect(this.back())
  }

  async moveTopic(ctx: HttpContext) {
    const topic = await ServiceTopic.findOrFail(ctx.params.id)
    const { direction } = await ctx.request.validateUsing(moveValidator)
    await catalogService.moveTopic(topic, direction)
    await audit.record({ actor: this.actor(ctx), action: 'messaging.topic.moved', subjectType: 'service_topic', subjectId: topic.id, details: { direction } })
    ctx.session.flash('alert.success', `Le thème « ${topic.name} » est déplacé.`)
    return ctx.response.redirect(this.back())
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import audit from '#services/audit_service'
import CareStructure from '#modules/news/models/care_structure'
import { structureValidator } from '#modules/news/validators/structure_validator'

function formValues(structure?: CareStructure) {
  return {
    name: structure?.name ?? '',
    address: structure?.address ?? '',
    phones: structure?.phones ?? '',
    email: structure?.email ?? '',
    openingHours: structure?.openingHours ?? '',
    ageGroups: structure?.ageGroups ?? '',
    position: structure?.position ?? 0,
  }
}

/** The care structures shown in INFOS PRATIQUES. */
export default class StaffStructuresController {
  async index({ view }: HttpContext) {
    const structures = await CareStructure.query().preload('updatedBy').orderBy('position').orderBy('name')
    return view.render('news::pages/staff/structures/index', { structures })
  }

  async create({ view }: HttpContext) {
    return view.render('news::pages/staff/structures/form', { structure: null, values: formValues() })
  }

  async store(ctx: HttpContext) {
    const structure = new CareStructure()
    structure.authorId = ctx.auth.getUserOrFail().id
    await this.save(ctx, structure, 'news.structure.created')
    ctx.session.flash('alert.success', `La structure « ${structure.name} » est enregistrée.`)
    return ctx.response.redirect().toRoute('news.staff.structures.index')
  }

  async edit({ params, view }: HttpContext) {
    const structure = await CareStructure.findOrFail(params.id)
    return view.render('news::pages/staff/structures/form', { structure, values: formValues(structure) })
  }

  async update(ctx: HttpContext) {
    const structure = await CareStructure.findOrFail(ctx.params.id)
    await this.save(ctx, structure, 'news.structure.updated')
    ctx.session.flash('alert.success', `La structure « ${structure.name} » est mise à jour.`)
    return ctx.response.redirect().toRoute('news.staff.structures.index')
  }

  async destroy({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const structure = await CareStructure.findOrFail(params.id)
    await structure.delete()
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'news.structure.deleted',
      subjectType: 'news_care_structure',
      subjectId: structure.id,
      details: { name: structure.name },
    })
    session.flash('alert.success', `La structure « ${structure.name} » est supprimée.`)
    return response.redirect().toRoute('news.staff.structures.index')
  }

  private async save({ auth, request }: HttpContext, structure: CareStructure, action: string) {
    const user = auth.getUserOrFail()
    const data = await request.validateUsing(structureValidator)
    structure.merge({
      name: data.name,
      address: data.address,
      phones: data.phones,
      email: data.email ?? null,
      openingHours: data.openingHours,
      ageGroups: data.ageGroups,
      position: data.position ?? 0,
      updatedById: user.id,
    })
    await structure.save()
    await audit.record({ actor: { id: user.id, fullName: user.fullName }, action, subjectType: 'news_care_structure', subjectId: structure.id })
  }
}

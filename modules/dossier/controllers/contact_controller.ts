import type { HttpContext } from '@adonisjs/core/http'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import Guardian from '#modules/dossier/models/guardian'
import familyService from '#modules/dossier/services/family_service'
import dossierService, { CHANGE_REQUEST_TOPIC } from '#modules/dossier/services/dossier_service'
import { authorizedPersonValidator, changeRequestValidator, contactValidator } from '#modules/dossier/validators/dossier'
import { idParam } from '#modules/dossier/controllers/family_context'
import { requireFamily } from '#modules/dossier/services/family_access'
import pickupAccessService from '#modules/dossier/services/pickup_access_service'

/** "Modifier mes coordonnées": what the parent changes directly, and requests for the rest. */
export default class ContactController {
  async edit(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const guardians = await Guardian.query().where('family_id', family.id).orderBy('position')
    const persons = await AuthorizedPerson.query().where('family_id', family.id).orderBy('last_name').orderBy('id')
    const accesses = Object.fromEntries(await pickupAccessService.viewsOf(family.id))
    return ctx.view.render('dossier::pages/contact', { family, guardians, persons, accesses })
  }

  async update(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const data = await ctx.request.validateUsing(contactValidator)
    const changes = await dossierService.updateContact(family, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', changes.length ? 'Vos coordonnées ont été enregistrées.' : "Aucune modification : rien n'a changé.")
    return ctx.response.redirect().toRoute('dossier.contact.edit')
  }

  async createPerson(ctx: HttpContext) {
    await requireFamily(ctx)
    return ctx.view.render('dossier::pages/person_form', { person: null, action: ctx.request.url() })
  }

  async storePerson(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const data = await ctx.request.validateUsing(authorizedPersonValidator)
    await dossierService.saveAuthorizedPerson(family, null, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', 'La personne autorisée a été ajoutée.')
    return ctx.response.redirect().toRoute('dossier.contact.edit')
  }

  async editPerson(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.id)).firstOrFail()
    return ctx.view.render('dossier::pages/person_form', { person, action: ctx.request.url() })
  }

  async updatePerson(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.id)).firstOrFail()
    const data = await ctx.request.validateUsing(authorizedPersonValidator)
    await dossierService.saveAuthorizedPerson(family, person, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', 'La personne autorisée a été modifiée.')
    return ctx.response.redirect().toRoute('dossier.contact.edit')
  }

  async destroyPerson(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.id)).firstOrFail()
    await dossierService.removeAuthorizedPerson(family, person, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `${person.fullName} n'est plus une personne autorisée.`)
    return ctx.response.redirect().toRoute('dossier.contact.edit')
  }

  async createRequest(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const children = await familyService.childrenOf(family.id)
    return ctx.view.render('dossier::pages/request', { children, topic: CHANGE_REQUEST_TOPIC })
  }

  async storeRequest(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const data = await ctx.request.validateUsing(changeRequestValidator)
    let child = null
    if (data.subject === 'child') {
      // the validator asks for the child; whether it is this family's is known here
      child = await familyService.childOf(family.id, data.childId!)
      if (!child) {
        ctx.session.flashExcept(['_csrf'])
        ctx.session.flash('inputErrorsBag', { childId: ["Choisissez l'enfant concerné."] })
        return ctx.response.redirect().back()
      }
    }
    await dossierService.requestChange(family, ctx.auth.getUserOrFail(), data, child)
    ctx.session.flash('alert.success', 'Votre demande est transmise au service : elle figure dans le suivi de vos démarches.')
    ctx.session.flash('dossier.requestSent', true)
    return ctx.response.redirect().toRoute('dossier.history')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import FamilyDocument from '#modules/dossier/models/family_document'
import familyService from '#modules/dossier/services/family_service'
import childPhotoService from '#modules/dossier/services/child_photos'
import historyService from '#modules/dossier/services/history_service'
import custodyService from '#modules/dossier/services/custody_service'
import quotientRetrieval from '#modules/dossier/services/quotient_retrieval'
import dossierService from '#modules/dossier/services/dossier_service'
import {
  authorizedPersonValidator,
  childValidator,
  familyValidator,
  quotientValidator,
  refusalValidator,
  searchValidator,
} from '#modules/dossier/validators/dossier'
import { idParam } from '#modules/dossier/controllers/family_context'
import { sendActivationLink } from '#modules/dossier/services/account_bridge'
import audit from '#services/audit_service'
import { categoryOptions, receiveDocument, sendDocument } from '#modules/dossier/controllers/documents_controller'
import { bySex, de } from '#core/french'
import { pageNumber } from '#core/pagination'
import pickupAccessService from '#modules/dossier/services/pickup_access_service'
import familySearch from '#modules/dossier/services/family_search'

const PER_PAGE = 25

async function findFamily(ctx: HttpContext) {
  return Family.findOrFail(idParam(ctx.params.id))
}

/** Gestion > Familles: search, the whole file, its documents and history, creation by hand. */
export default class StaffFamiliesController {
  async index(ctx: HttpContext) {
    const [invalid, search] = await searchValidator.tryValidate(ctx.request.qs())
    const { q, page } = invalid ? { q: undefined, page: undefined } : search
    const query = Family.query().preload('guardians', (guardians) => guardians.orderBy('position')).preload('children')
    if (q) {
      await familySearch.refresh()
      familySearch.matching(query, q)
    }
    const families = await query.orderBy('reference').paginate(page ?? 1, PER_PAGE)
    const pendingDocuments = await familyService.documentsToCheck()
    return ctx.view.render('dossier::pages/staff/index', {
      families,
      meta: families.getMeta(),
      q: q ?? '',
      baseUrl: ctx.request.url() + (q ? `?q=${encodeURIComponent(q)}` : ''),
      pendingDocuments,
    })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('dossier::pages/staff/family_form', { family: null, guardians: [] })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(familyValidator)
    if (await Family.findBy('reference', data.reference)) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flash('inputErrorsBag', { reference: ['Cette référence est déjà celle d’une autre famille.'] })
      return ctx.response.redirect().back()
    }
    const result = await dossierService.saveFamily(null, data, ctx.auth.getUserOrFail())
    ctx.session.flash(
      'alert.success',
      `Dossier ${result.family.reference} créé. Comptes en attente d’activation créés : ${result.accounts}${data.sendActivation ? `, liens d’activation envoyés : ${result.mailed}` : ''}.`
    )
    return ctx.response.redirect().toRoute('staff.families.show', { id: result.family.id })
  }

  async show(ctx: HttpContext) {
    const family = await familyService.loadFile(idParam(ctx.params.id))
    const documents = await FamilyDocument.query().where('family_id', family.id).preload('child').orderBy('created_at', 'desc').orderBy('id', 'desc')
    const entries = await historyService.page(family.id, pageNumber(ctx.request.input('page')))
    return ctx.view.render('dossier::pages/staff/show', {
      family,
      documents,
      entries,
      meta: entries.getMeta(),
      categoryOptions,
      quotientConsent: await quotientRetrieval.activeConsent(family.id),
      photos: await childPhotoService.photosVisibleTo(ctx.auth.getUserOrFail(), family.children),
      custody: await custodyService.notesFor(family.id, { staff: true }),
      pickupAccesses: Object.fromEntries(await pickupAccessService.viewsOf(family.id)),
    })
  }

  async edit(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const guardians = await Guardian.query().where('family_id', family.id).orderBy('position')
    return ctx.view.render('dossier::pages/staff/family_form', { family, guardians })
  }

  async update(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const data = await ctx.request.validateUsing(familyValidator)
    const other = await Family.query().where('reference', data.reference).whereNot('id', family.id).first()
    if (other) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flash('inputErrorsBag', { reference: ['Cette référence est déjà celle d’une autre famille.'] })
      return ctx.response.redirect().back()
    }
    const result = await dossierService.saveFamily(family, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', result.changes.length || result.accounts ? 'Le dossier a été enregistré.' : "Aucune modification : rien n'a changé.")
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async quotient(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const data = await ctx.request.validateUsing(quotientValidator)
    const changes = await dossierService.setQuotient(family, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', changes.length ? 'Le quotient familial a été enregistré.' : "Aucune modification : rien n'a changé.")
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async createChild(ctx: HttpContext) {
    const family = await findFamily(ctx)
    return ctx.view.render('dossier::pages/staff/child_form', { family, child: null })
  }

  async storeChild(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const data = await ctx.request.validateUsing(childValidator)
    if (data.reference && (await Child.query().where('family_id', family.id).where('reference', data.reference).first())) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flash('inputErrorsBag', { reference: ['Un autre enfant de la famille a déjà cette référence.'] })
      return ctx.response.redirect().back()
    }
    const { child } = await dossierService.saveChild(family, null, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `${child.firstName} ${bySex(child.sex, 'a été ajouté', 'a été ajoutée', 'figure désormais')} au dossier.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async editChild(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const child = await Child.query().where('family_id', family.id).where('id', idParam(ctx.params.childId)).firstOrFail()
    return ctx.view.render('dossier::pages/staff/child_form', { family, child })
  }

  async updateChild(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const child = await Child.query().where('family_id', family.id).where('id', idParam(ctx.params.childId)).firstOrFail()
    const data = await ctx.request.validateUsing(childValidator)
    if (data.reference && (await Child.query().where('family_id', family.id).where('reference', data.reference).whereNot('id', child.id).first())) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flash('inputErrorsBag', { reference: ['Un autre enfant de la famille a déjà cette référence.'] })
      return ctx.response.redirect().back()
    }
    await dossierService.saveChild(family, child, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `La fiche ${de(child.firstName)} a été enregistrée.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async createPerson(ctx: HttpContext) {
    const family = await findFamily(ctx)
    return ctx.view.render('dossier::pages/person_form', { person: null, action: ctx.request.url(), family, staff: true })
  }

  async storePerson(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const data = await ctx.request.validateUsing(authorizedPersonValidator)
    await dossierService.saveAuthorizedPerson(family, null, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', 'La personne autorisée a été ajoutée.')
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async editPerson(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.personId)).firstOrFail()
    return ctx.view.render('dossier::pages/person_form', { person, action: ctx.request.url(), family, staff: true })
  }

  async updatePerson(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.personId)).firstOrFail()
    const data = await ctx.request.validateUsing(authorizedPersonValidator)
    await dossierService.saveAuthorizedPerson(family, person, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', 'La personne autorisée a été modifiée.')
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async destroyPerson(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.personId)).firstOrFail()
    await dossierService.removeAuthorizedPerson(family, person, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `${person.fullName} n'est plus une personne autorisée.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async storeDocument(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const document = await receiveDocument(ctx, family, 'service')
    if (document) ctx.session.flash('alert.success', `Le document « ${document.name} » est mis à disposition de la famille.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async acceptDocument(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const document = await FamilyDocument.query().where('family_id', family.id).where('id', idParam(ctx.params.documentId)).firstOrFail()
    await dossierService.reviewDocument(document, true, null, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `Le document « ${document.name} » est accepté.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async refuseDocument(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const document = await FamilyDocument.query().where('family_id', family.id).where('id', idParam(ctx.params.documentId)).firstOrFail()
    const { refusalReason } = await ctx.request.validateUsing(refusalValidator)
    await dossierService.reviewDocument(document, false, refusalReason, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `Le document « ${document.name} » est refusé ; la famille voit le motif.`)
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async reviewForm(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const document = await FamilyDocument.query().where('family_id', family.id).where('id', idParam(ctx.params.documentId)).preload('child').firstOrFail()
    return ctx.view.render('dossier::pages/staff/refuse', { family, document })
  }

  /** Mails a fresh activation link to a guardian whose account is still pending. */
  async sendActivation(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const guardian = await Guardian.query().where('family_id', family.id).where('id', idParam(ctx.params.guardianId)).preload('user').firstOrFail()
    if (!guardian.user || guardian.user.state !== 'pending' || !guardian.user.email) {
      ctx.session.flash('alert.error', `${guardian.fullName} n'a pas de compte en attente d'activation.`)
    } else if (await sendActivationLink(guardian.user)) {
      await audit.record({ actor: ctx.auth.getUserOrFail(), action: 'dossier.activation.send', subjectType: 'family', subjectId: family.id, details: { userId: guardian.user.id } })
      ctx.session.flash('alert.success', `Le lien d'activation a été envoyé à ${guardian.user.email}.`)
    } else {
      ctx.session.flash('alert.error', "Le lien d'activation n'a pas pu être envoyé : réessayez plus tard.")
    }
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }

  async downloadDocument(ctx: HttpContext) {
    const family = await findFamily(ctx)
    const document = await FamilyDocument.query().where('family_id', family.id).where('id', idParam(ctx.params.documentId)).firstOrFail()
    return sendDocument(ctx, document)
  }
}

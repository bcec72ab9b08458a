import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import { UploadRefused, attachmentHeader } from '#services/upload_service'
import FamilyDocument, { DOCUMENT_CATEGORIES } from '#modules/dossier/models/family_document'
import type Family from '#modules/dossier/models/family'
import familyService from '#modules/dossier/services/family_service'
import dossierService from '#modules/dossier/services/dossier_service'
import { documentValidator } from '#modules/dossier/validators/dossier'
import { idParam } from '#modules/dossier/controllers/family_context'
import { requireFamily } from '#modules/dossier/services/family_access'

export const categoryOptions = Object.entries(DOCUMENT_CATEGORIES).map(([value, label]) => ({ value, label }))

/** Sends a stored document to whoever may see it (the caller scoped the query). */
export async function sendDocument(ctx: HttpContext, document: FamilyDocument) {
  const disk = drive.use()
  if (!(await disk.exists(document.storageKey))) return ctx.response.notFound('Document introuvable')
  ctx.response.header('Content-Type', document.mime)
  ctx.response.header('Content-Disposition', attachmentHeader(document.name))
  ctx.response.header('X-Content-Type-Options', 'nosniff')
  ctx.response.header('Cache-Control', 'private, no-store')
  return ctx.response.stream(await disk.getStream(document.storageKey))
}

/** Checks the upload form and stores the file; returns null after flashing the reason. */
export async function receiveDocument(ctx: HttpContext, family: Family, origin: 'family' | 'service') {
  const { document: file, ...data } = await ctx.request.validateUsing(documentValidator)
  const refuse = (message: string) => {
    ctx.session.flashExcept(['_csrf'])
    ctx.session.flash('inputErrorsBag', { document: [message] })
    return null
  }
  if (data.childId && !(await familyService.childOf(family.id, data.childId))) {
    ctx.session.flashExcept(['_csrf'])
    ctx.session.flash('inputErrorsBag', { childId: ["Cet enfant n'est pas dans le dossier."] })
    return null
  }
  try {
    return await dossierService.addDocument(family, file, data, ctx.auth.getUserOrFail(), origin)
  } catch (error) {
    if (error instanceof UploadRefused) return refuse(error.message)
    throw error
  }
}

/** "Mes documents": what the service shared and what the family sent, with their state. */
export default class DocumentsController {
  async index(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const documents = await FamilyDocument.query().where('family_id', family.id).preload('child').orderBy('created_at', 'desc').orderBy('id', 'desc')
    const children = await familyService.childrenOf(family.id)
    return ctx.view.render('dossier::pages/documents', {
      shared: documents.filter((document) => document.origin === 'service'),
      sent: documents.filter((document) => document.origin === 'family'),
      children,
      categoryOptions,
    })
  }

  async store(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const document = await receiveDocument(ctx, family, 'family')
    if (!document) return ctx.response.redirect().toRoute('dossier.documents.index')
    ctx.session.flash('alert.success', `Le document « ${document.name} » est transmis au service, qui va le vérifier.`)
    return ctx.response.redirect().toRoute('dossier.documents.index')
  }

  async download(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const document = await FamilyDocument.query().where('family_id', family.id).where('id', idParam(ctx.params.id)).firstOrFail()
    return sendDocument(ctx, document)
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import moduleRegistry from '#core/module_registry'
import FamilyDocument from '#modules/dossier/models/family_document'
import familyService from '#modules/dossier/services/family_service'
import historyService from '#modules/dossier/services/history_service'
import custodyService from '#modules/dossier/services/custody_service'
import exportService from '#modules/dossier/services/export_service'
import { requireFamily } from '#modules/dossier/services/family_access'
import { pageNumber } from '#core/pagination'
import apiParticulierConfig from '#modules/dossier/api_particulier/config'

/** MON DOSSIER for parents: the file read-only, the history, the exports of their data. */
export default class DossierController {
  async show(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const file = await familyService.loadFile(family.id)
    const paiDocuments = await FamilyDocument.query()
      .where('family_id', family.id)
      .whereIn('id', file.children.map((child) => child.paiDocumentId).filter((id): id is number => !!id))
    return ctx.view.render('dossier::pages/show', {
      family: file,
      paiDocuments: new Map(paiDocuments.map((document) => [document.id, document])),
      quotientRetrieval: apiParticulierConfig.enabled,
      custody: await custodyService.notesFor(family.id, { staff: false }),
    })
  }

  async history(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const page = pageNumber(ctx.request.input('page'))
    const entries = await historyService.page(family.id, page)
    const children = await familyService.childrenOf(family.id)
    return ctx.view.render('dossier::pages/history', {
      entries,
      meta: entries.getMeta(),
      children,
      // Cards other modules put beside the history (billing: the invoices to pay).
      asideCards: await moduleRegistry.fillSlot('dossier.history.aside', ctx),
      // Right after a change request: what else the parent may do (messaging: write to the service).
      requestSentCards: ctx.session.flashMessages.has('dossier.requestSent') ? await moduleRegistry.fillSlot('dossier.request.sent', ctx) : [],
    })
  }

  async exportJson(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const data = await exportService.familyData(family.id)
    ctx.response.header('Content-Disposition', `attachment; filename="mon-dossier-${family.reference.replace(/[^A-Za-z0-9_-]/g, '_')}.json"`)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.response.json(data)
  }

  async exportZip(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const stream = await exportService.documentsZip(family.id)
    ctx.response.header('Content-Type', 'application/zip')
    ctx.response.header('Content-Disposition', `attachment; filename="mes-documents-${family.reference.replace(/[^A-Za-z0-9_-]/g, '_')}.zip"`)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.response.stream(stream)
  }
}

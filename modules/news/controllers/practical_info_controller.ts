import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import { attachmentHeader } from '#services/upload_service'
import NewsDocument from '#modules/news/models/news_document'
import CareStructure from '#modules/news/models/care_structure'
import menuService, { menuDayLabel } from '#modules/news/services/menu_service'
import { documentType, formatFileSize } from '#modules/news/services/document_format'

async function documentRows() {
  const documents = await NewsDocument.query().orderBy('created_at', 'desc').orderBy('id', 'desc')
  return documents.map((document) => ({
    id: document.id,
    title: document.title,
    type: documentType(document.fileName),
    size: formatFileSize(document.size),
    date: document.createdAt,
  }))
}

/** INFOS PRATIQUES: documents to download, care structures, canteen menus. */
export default class PracticalInfoController {
  async index({ request, view }: HttpContext) {
    const [documents, structures, week] = await Promise.all([
      documentRows(),
      CareStructure.query().orderBy('position').orderBy('name'),
      menuService.week(request.input('semaine')),
    ])
    return view.render('news::pages/practical', { documents, structures, week, menuDayLabel })
  }

  async documents({ view }: HttpContext) {
    return view.render('news::pages/documents', { documents: await documentRows() })
  }

  async download({ params, response }: HttpContext) {
    const document = await NewsDocument.findOrFail(params.id)
    response.header('Content-Type', document.mime)
    response.header('Content-Disposition', attachmentHeader(document.fileName))
    response.header('Content-Length', String(document.size))
    response.header('X-Content-Type-Options', 'nosniff')
    return response.stream(await drive.use().getStream(document.fileKey))
  }
}

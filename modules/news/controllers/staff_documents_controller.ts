import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import audit from '#services/audit_service'
import { storeUpload, UploadRefused } from '#services/upload_service'
import NewsDocument from '#modules/news/models/news_document'
import { documentValidator } from '#modules/news/validators/document_validator'
import { fieldError } from '#modules/news/validators/field_error'
import { documentType, formatFileSize } from '#modules/news/services/document_format'

/** Documents to download (PDF and office files), stored privately. */
export default class StaffDocumentsController {
  async index({ view }: HttpContext) {
    const documents = await NewsDocument.query().preload('author').orderBy('created_at', 'desc').orderBy('id', 'desc')
    return view.render('news::pages/staff/documents', {
      documents: documents.map((document) => ({
        document,
        type: documentType(document.fileName),
        size: formatFileSize(document.size),
      })),
    })
  }

  async store({ auth, request, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const data = await request.validateUsing(documentValidator)
    let stored
    try {
      stored = await storeUpload(data.file, 'news/documents', ['pdf', 'office'])
    } catch (error) {
      if (error instanceof UploadRefused) throw fieldError('file', error.message, 'file')
      throw error
    }
    const document = await NewsDocument.create({
      title: data.title,
      fileKey: stored.key,
      fileName: stored.name,
      mime: stored.mime,
      size: stored.size,
      authorId: user.id,
    })
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'news.document.created',
      subjectType: 'news_document',
      subjectId: document.id,
      details: { title: document.title, file: document.fileName },
    })
    session.flash('alert.success', `Le document « ${document.title} » est en ligne.`)
    return response.redirect().toRoute('news.staff.documents.index')
  }

  async destroy({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const document = await NewsDocument.findOrFail(params.id)
    await document.delete()
    await drive.use().delete(document.fileKey)
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'news.document.deleted',
      subjectType: 'news_document',
      subjectId: document.id,
      details: { title: document.title, file: document.fileName },
    })
    session.flash('alert.success', `Le document « ${document.title} » est supprimé.`)
    return response.redirect().toRoute('news.staff.documents.index')
  }
}

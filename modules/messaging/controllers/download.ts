import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import { attachmentHeader } from '#services/upload_service'
import type Attachment from '#modules/messaging/models/attachment'

/** Streams a private attachment as a download, never rendered inline. */
export async function sendAttachment({ response }: HttpContext, attachment: Attachment) {
  response.header('Content-Type', attachment.mime)
  response.header('Content-Disposition', attachmentHeader(attachment.name))
  response.header('Content-Length', String(attachment.size))
  response.header('X-Content-Type-Options', 'nosniff')
  response.header('Cache-Control', 'private, no-store')
  return response.stream(await drive.use().getStream(attachment.storageKey))
}

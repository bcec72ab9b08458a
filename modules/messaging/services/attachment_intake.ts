import type { HttpContext } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { MAX_UPLOAD_BYTES, storeUpload, UploadRefused, type StoredFile, type UploadKind } from '#services/upload_service'
import messagingService, { MAX_ATTACHMENTS } from '#modules/messaging/services/messaging_service'

export const ATTACHMENT_KINDS: UploadKind[] = ['pdf', 'jpeg', 'png', 'office']
export const ATTACHMENT_TYPES = 'PDF, JPEG, PNG, documents bureautiques (Word, Excel, OpenDocument)'
export const ATTACHMENT_ACCEPT =
  '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods,.ppt,.pptx,.odp,application/pdf,image/jpeg,image/png'

/** The files of the "attachments[]" field, the empty inputs of a form without JavaScript left out. */
export function attachedFiles(request: HttpContext['request']): MultipartFile[] {
  return request.files('attachments', { size: '40mb' }).filter((file) => file.clientName || file.size > 0)
}

/** What can be said before storing anything: how many files, how big. */
export function checkAttachments(files: MultipartFile[]): string[] {
  const problems: string[] = []
  if (files.length > MAX_ATTACHMENTS) {
    problems.push(`Vous pouvez joindre ${MAX_ATTACHMENTS} fichiers au plus (vous en avez choisi ${files.length}).`)
  }
  for (const file of files) {
    const tooBig = file.size > MAX_UPLOAD_BYTES || file.errors.some((error) => error.type === 'size')
    if (tooBig) problems.push(`Le fichier « ${file.clientName} » dépasse 40 Mo.`)
  }
  return problems
}

/**
 * Stores each file privately after checking its content (storeUpload); at the first refusal
 * the files already stored are removed and the sentence is returned for the form.
 */
export async function storeAttachments(files: MultipartFile[], folder: string): Promise<{ stored: StoredFile[]; error?: string }> {
  const stored: StoredFile[] = []
  for (const file of files) {
    try {
      stored.push(await storeUpload(file, folder, ATTACHMENT_KINDS))
    } catch (error) {
      await messagingService.discard(stored)
      if (error instanceof UploadRefused) return { stored: [], error: error.message }
      throw error
    }
  }
  return { stored }
}

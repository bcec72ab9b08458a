import { randomUUID } from 'node:crypto'
import { open } from 'node:fs/promises'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'

export const MAX_UPLOAD_BYTES = 40 * 1024 * 1024

export type UploadKind = 'pdf' | 'jpeg' | 'png' | 'office'

const KIND_INFO: Record<UploadKind, { mime: string; extensions: string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpeg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
  office: {
    mime: 'application/octet-stream',
    extensions: ['doc', 'docx', 'xls', 'xlsx', 'odt', 'ods', 'ppt', 'pptx', 'odp'],
  },
}

const OFFICE_MIME: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
}

/** Recognises a file by its first bytes, never by its name or the browser's claim. */
export function sniffKind(head: Buffer): UploadKind | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'office'
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'office'
  return null
}

/** Keeps a display name safe: no folders, no control characters, bounded length. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(-120)
  return cleaned || 'document'
}

export class UploadRefused extends Error {}

export interface StoredFile {
  key: string
  name: string
  mime: string
  size: number
}

/**
 * Checks an uploaded file (size, type by content, name) and stores it privately through
 * Drive under a random key. Throws UploadRefused with a French sentence for the form.
 */
export async function storeUpload(file: MultipartFile, folder: string, allowed: UploadKind[] = ['pdf', 'jpeg', 'png']): Promise<StoredFile> {
  if (file.clientName.length > 255) {
    throw new UploadRefused(`Le nom du fichier est trop long (${file.clientName.length} caractères, 255 au plus) : renommez-le avant de l'envoyer.`)
  }
  const name = safeFileName(file.clientName)
  if (!file.tmpPath || file.hasErrors) {
    const reason = file.errors[0]?.type === 'size' ? 'dépasse 40 Mo' : "n'a pas pu être reçu"
    throw new UploadRefused(`Le fichier « ${name} » ${reason}.`)
  }
  if (file.size > MAX_UPLOAD_BYTES) throw new UploadRefused(`Le fichier « ${name} » dépasse 40 Mo.`)
  if (file.size === 0) throw new UploadRefused(`Le fichier « ${name} » est vide.`)
  const handle = await open(file.tmpPath, 'r')
  const head = Buffer.alloc(16)
  try {
    await handle.read(head, 0, 16, 0)
  } finally {
    await handle.close()
  }
  const kind = sniffKind(head)
  const extension = (name.split('.').pop() ?? '').toLowerCase()
  if (!kind || !allowed.includes(kind) || !KIND_INFO[kind].extensions.includes(extension)) {
    const words = allowed.map((k) => (k === 'office' ? 'documents bureautiques' : k.toUpperCase())).join(', ')
    throw new UploadRefused(`Le fichier « ${name} » n'est pas d'un type accepté (${words}) : son contenu ne correspond pas.`)
  }
  const key = `${folder}/${randomUUID()}.${extension}`
  await file.moveToDisk(key, drive.use())
  const mime = kind === 'office' ? (OFFICE_MIME[extension] ?? 'application/octet-stream') : KIND_INFO[kind].mime
  return { key, name, mime, size: file.size }
}

/** Content-Disposition for a download, with the French name kept (RFC 5987). */
export function attachmentHeader(name: string): string {
  const ascii = safeFileName(name).replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safeFileName(name))}`
}

import { DateTime } from 'luxon'
import NewsArticle from '#modules/news/models/news_article'
import { renderRichText } from '#modules/news/services/rich_text'

let sequence = 0

/** The staff pages of the module that need no record to exist. */
export const STAFF_PAGES = [
  '/gestion/actualites',
  '/gestion/actualites/nouvelle',
  '/gestion/documents',
  '/gestion/structures',
  '/gestion/structures/nouvelle',
  '/gestion/menus',
  '/gestion/menus/nouveau',
  '/gestion/menus/semaine',
  '/gestion/pages',
  '/gestion/pages/nouvelle',
]

/** An article stored as the editor would store it. */
export async function createArticle(overrides: { title?: string; body?: string; publishedAt?: DateTime | null; authorId?: number | null } = {}) {
  sequence += 1
  const title = overrides.title ?? `Actualité ${sequence} ${Date.now().toString(36)}`
  const body = overrides.body ?? `Texte de l'actualité ${sequence}.`
  return NewsArticle.create({
    title,
    slug: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${sequence}`,
    bodySource: body,
    bodyHtml: renderRichText(body),
    publishedAt: overrides.publishedAt === undefined ? DateTime.utc().minus({ hours: 1 }) : overrides.publishedAt,
    authorId: overrides.authorId ?? null,
  })
}

/** A minimal but valid one-page PDF. */
export function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body))
    body += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = Buffer.byteLength(body)
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** The first bytes of a Windows executable. */
export function fakeExecutable(): Buffer {
  const bytes = Buffer.alloc(256)
  bytes.write('MZ', 0, 'latin1')
  bytes.write('This program cannot be run in DOS mode.', 78, 'latin1')
  return bytes
}

/** The status of a request's response (keeps assertions on one line). */
export async function statusOf(request: PromiseLike<{ status(): number }>): Promise<number> {
  const response = await request
  return response.status()
}

/** The body text of a request's response. */
export async function textOf(request: PromiseLike<{ text(): string }>): Promise<string> {
  const response = await request
  return response.text()
}

/*
 * A rendered page kept to be sent again: a request's own values in it — the CSP nonce and the CSRF
 * token — are cut out of the copy and put back for each request (#core/visitor_page_cache,
 * #core/family_page_cache).
 */

// Private-use characters: never in a rendered page.
const NONCE_MARK = '\uE000n\uE000'
const TOKEN_MARK = '\uE000t\uE000'

export interface PageCopy {
  parts: string[]
  marks: string[]
}

/** The page split around the request's nonce and token; null for a page holding a private-use mark itself (pasted in an article). */
export function cutPage(html: string, nonce: string, token: string): PageCopy | null {
  if (html.includes('\uE000')) return null
  let marked = html
  if (nonce) marked = marked.replaceAll(nonce, NONCE_MARK)
  if (token) marked = marked.replaceAll(token, TOKEN_MARK)
  const pieces = marked.split(/(\uE000[nt]\uE000)/)
  return { parts: pieces.filter((_, index) => index % 2 === 0), marks: pieces.filter((_, index) => index % 2 === 1) }
}

/** The copy with this request's nonce and token put back. */
export function fillPage(page: PageCopy, nonce: string, token: string): string {
  return page.parts.reduce((html, part, index) => html + (page.marks[index - 1] === NONCE_MARK ? nonce : token) + part)
}

/** The copy's parts as UTF-8 bytes: sent again without encoding the page at each request. */
export interface PageBytes {
  parts: Buffer[]
  marks: string[]
  bytes: number
}

export function pageBytes(page: PageCopy): PageBytes {
  const parts = page.parts.map((part) => Buffer.from(part, 'utf8'))
  return { parts, marks: page.marks, bytes: parts.reduce((total, part) => total + part.length, 0) }
}

/** The bytes with this request's nonce and token put back. */
export function fillPageBytes(page: PageBytes, nonce: string, token: string): Buffer {
  const nonceBytes = Buffer.from(nonce, 'utf8')
  const tokenBytes = Buffer.from(token, 'utf8')
  const pieces: Buffer[] = [page.parts[0]]
  for (let index = 1; index < page.parts.length; index++) {
    pieces.push(page.marks[index - 1] === NONCE_MARK ? nonceBytes : tokenBytes, page.parts[index])
  }
  return Buffer.concat(pieces)
}

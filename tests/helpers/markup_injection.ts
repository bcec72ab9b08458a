/**
 * The quote-and-markup payload of the attribute tests, and a reader of the HTML that finds
 * the elements it would inject if a page printed it unescaped: it tokenizes start tags as a
 * browser does (quoted attribute values are one value, script and textarea bodies are text).
 */
export const PAYLOAD = `a"><meta http-equiv=refresh content=0;url=https://evil.example>'<b>x</b>`

const MARK = 'evil.example'
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext'])
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export interface StartTag {
  name: string
  attributes: Array<[string, string]>
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== '#') return NAMED[code.toLowerCase()] ?? whole
    const point = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1))
    return Number.isFinite(point) ? String.fromCodePoint(point) : whole
  })
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\n' || char === '\t' || char === '\f' || char === '\r'

/** Every start tag of the document with its attributes, values decoded. */
export function startTags(html: string): StartTag[] {
  const tags: StartTag[] = []
  const lower = html.toLowerCase()
  let i = 0
  while (i < html.length) {
    const open = html.indexOf('<', i)
    if (open < 0) break
    const next = html[open + 1] ?? ''
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4)
      i = end < 0 ? html.length : end + 3
      continue
    }
    if (next === '!' || next === '?' || next === '/') {
      const end = html.indexOf('>', open)
      i = end < 0 ? html.length : end + 1
      continue
    }
    if (!/[a-z]/i.test(next)) {
      i = open + 1
      continue
    }
    let j = open + 1
    while (j < html.length && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>') j++
    const tag: StartTag = { name: lower.slice(open + 1, j), attributes: [] }
    while (j < html.length) {
      while (isSpace(html[j]) || html[j] === '/') j++
      if (j >= html.length || html[j] === '>') break
      let k = html[j] === '=' ? j + 1 : j
      while (k < html.length && !isSpace(html[k]) && !['/', '>', '='].includes(html[k])) k++
      const name = lower.slice(j, k)
      j = k
      while (isSpace(html[j])) j++
      let value = ''
      if (html[j] === '=') {
        j++
        while (isSpace(html[j])) j++
        const quote = html[j]
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, j + 1)
          const end = close < 0 ? html.length : close
          value = html.slice(j + 1, end)
          j = end + 1
        } else {
          const start = j
          while (j < html.length && !isSpace(html[j]) && html[j] !== '>') j++
          value = html.slice(start, j)
        }
      }
      tag.attributes.push([name, decodeEntities(value)])
    }
    tags.push(tag)
    i = j + 1
    if (RAW_TEXT.has(tag.name)) {
      const close = lower.indexOf('</' + tag.name, i)
      i = close < 0 ? html.length : close
    }
  }
  return tags
}

function holdsWholePayload(value: string): boolean {
  if (value.includes(PAYLOAD)) return true
  try {
    return decodeURIComponent(value.replace(/\+/g, ' ')).includes(PAYLOAD)
  } catch {
    return false
  }
}

/** What the payload injected in this page: elements, or attributes it cut open. Empty when escaped. */
export function injectedMarkup(html: string): string[] {
  const problems: string[] = []
  for (const tag of startTags(html)) {
    if (tag.name === 'b') problems.push('a <b> element')
    for (const [name, value] of tag.attributes) {
      if (name.includes(MARK) || (value.includes(MARK) && !holdsWholePayload(value))) {
        problems.push(`<${tag.name} ${name}="${value.slice(0, 60)}">`)
      }
    }
  }
  return problems
}

/** The lines of the page around each place the payload's marker lands, for a failure message. */
export function payloadContexts(html: string, limit = 3): string[] {
  const contexts: string[] = []
  let index = html.indexOf(MARK)
  while (index >= 0 && contexts.length < limit) {
    contexts.push(html.slice(Math.max(0, index - 90), index + 40).replace(/\s+/g, ' '))
    index = html.indexOf(MARK, index + MARK.length)
  }
  return contexts
}

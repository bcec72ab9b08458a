import sanitizeHtml from 'sanitize-html'

/**
 * The editor of news and pages: a small Markdown-like syntax or limited HTML in a
 * textarea, turned into clean HTML. Whatever comes in, only these tags survive.
 */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'br'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math'],
  transformTags: {
    h1: 'h2',
    b: 'strong',
    i: 'em',
    h5: 'h4',
    h6: 'h4',
  },
  exclusiveFilter: (frame) => frame.tag === 'p' && !frame.text.trim() && !frame.mediaChildren?.length,
}

export function sanitizeRichText(html: string | null | undefined): string {
  return sanitizeHtml(html ?? '', SANITIZE_OPTIONS)
    .replace(/<a>([\s\S]*?)<\/a>/g, '$1')
    .replace(/<p>(\s|<br \/>|<br>)*<\/p>/g, '')
    .trim()
}

const BLOCK_HTML = /^<\/?(h[1-6]|p|ul|ol|li|div|blockquote|table|section|article|script|style|iframe)\b/i

/** Inline Markdown: **bold**, *em* or _em_, [text](url). Raw HTML is left for the sanitizer. */
function inline(text: string): string {
  return text
    .replace(/\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)/g, (_, label, href) => `<a href="${href.replace(/"/g, '%22')}">${label}</a>`)
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>')
}

/**
 * Converts the editor's text to HTML: "## Titre" (h2 to h4), "- élément" or "* élément"
 * lists, "1. élément" numbered lists, blank lines between paragraphs, single line breaks
 * kept. Lines starting with a block HTML tag pass through as they are.
 */
export function markdownToHtml(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const out: string[] = []
  let paragraph: string[] = []
  let list: { type: 'ul' | 'ol'; items: string[] } | null = null

  const flushParagraph = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`)
    paragraph = []
  }
  const flushList = () => {
    if (list) out.push(`<${list.type}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.type}>`)
    list = null
  }

  for (const raw of lines) {
    const line = raw.trim()
    const heading = /^(#{1,6})\s+(.+)$/.exec(line)
    const bullet = /^[-*•]\s+(.+)$/.exec(line)
    const numbered = /^\d+[.)]\s+(.+)$/.exec(line)
    if (!line) {
      flushParagraph()
      flushList()
    } else if (heading) {
      flushParagraph()
      flushList()
      const level = Math.min(Math.max(heading[1].length, 2), 4)
      out.push(`<h${level}>${inline(heading[2])}</h${level}>`)
    } else if (bullet || numbered) {
      flushParagraph()
      const type = bullet ? 'ul' : 'ol'
      if (list && list.type !== type) flushList()
      if (!list) list = { type, items: [] }
      list.items.push((bullet ?? numbered)![1])
    } else if (BLOCK_HTML.test(line)) {
      flushParagraph()
      flushList()
      out.push(line)
    } else {
      flushList()
      paragraph.push(line)
    }
  }
  flushParagraph()
  flushList()
  return out.join('\n')
}

/** What is stored and shown: the editor's text, converted and sanitized. */
export function renderRichText(source: string): string {
  return sanitizeRichText(markdownToHtml(source))
}

/** Plain text of some HTML (headings left out), cut at a word with "..." as in the guide's teaser. */
export function excerpt(html: string, length = 180): string {
  const withoutHeadings = html.replace(/<h([2-4])>[\s\S]*?<\/h\1>/g, ' ')
  const text = sanitizeHtml(withoutHeadings.replace(/<\/(p|li)>/g, ' $&').replace(/<br\s*\/?>/g, ' '), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
  if (text.length <= length) return text
  const cut = text.slice(0, length)
  const space = cut.lastIndexOf(' ')
  return (space > length * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '') + '...'
}

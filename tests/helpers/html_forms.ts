/** A POST form read from a page: where it goes, its fields with the values the page put in them. */
export interface PageForm {
  action: string
  fields: Record<string, string | string[]>
  types: Record<string, string>
  options: Record<string, string[]>
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decode(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') return String.fromCodePoint(code[1].toLowerCase() === 'x' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1)))
    return ENTITIES[code.toLowerCase()] ?? whole
  })
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)
  return match ? decode(match[1] ?? match[2] ?? match[3]) : undefined
}

const hasFlag = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|=|>|/)`, 'i').test(tag)

/** Every POST form of the page, but the CSRF token (the client adds its own). */
export function postForms(html: string): PageForm[] {
  const forms: PageForm[] = []
  for (const [, open, body] of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    if ((attr(open, 'method') ?? 'get').toLowerCase() !== 'post') continue
    const action = attr(open, 'action')
    if (!action || !action.startsWith('/')) continue
    const form: PageForm = { action, fields: {}, types: {}, options: {} }
    const put = (name: string, value: string, type: string) => {
      if (name === '_csrf') return
      form.types[name] = type
      if (name.endsWith('[]')) {
        const list = (form.fields[name] as string[] | undefined) ?? []
        form.fields[name] = [...list, value]
      } else if (form.fields[name] === undefined || type !== 'hidden') {
        form.fields[name] = value
      }
    }
    for (const [tag] of body.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(tag, 'name')
      const type = (attr(tag, 'type') ?? 'text').toLowerCase()
      if (!name || ['submit', 'button', 'file', 'reset', 'image'].includes(type)) continue
      if (['checkbox', 'radio'].includes(type)) {
        if (name.endsWith('[]')) form.fields[name] ??= []
        form.types[name] = type
        if (hasFlag(tag, 'checked')) put(name, attr(tag, 'value') ?? 'on', type)
        continue
      }
      put(name, attr(tag, 'value') ?? '', type)
    }
    for (const [, selectTag, inner] of body.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/gi)) {
      const name = attr(selectTag, 'name')
      if (!name) continue
      const options = [...inner.matchAll(/<option\b[^>]*>/gi)].map(([tag]) => ({ tag, value: attr(tag, 'value') ?? '' }))
      form.options[name] = options.map((o) => o.value)
      const chosen = options.find((o) => hasFlag(o.tag, 'selected')) ?? options.find((o) => o.value !== '') ?? options[0]
      put(name, chosen?.value ?? '', 'select')
    }
    for (const [, textareaTag, inner] of body.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(textareaTag, 'name')
      if (name) put(name, decode(inner), 'textarea')
    }
    forms.push(form)
  }
  return forms
}

/** The fields as the API client sends them: `name[]` lists as arrays under `name`. */
export function formBody(fields: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name.replace(/\[\]$/, ''), value]))
}

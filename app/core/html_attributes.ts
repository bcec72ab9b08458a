import { edgeGlobals } from 'edge.js'
import { escaperOf } from '#core/html_escape'

/**
 * HTML attributes from an object, every value escaped. Edge 6.5.1's own `html.attrs` prints
 * values between double quotes without escaping them, so a `"` in a parent's address closes
 * the attribute and the rest becomes markup; start/view.ts installs this one in its place.
 *
 * Same rules as Edge's: null, undefined, false and '' leave the attribute out; true prints it
 * bare; `class` takes what `html.classNames` takes; arrays are joined with spaces. Two
 * differences: 0 is printed (`min: 0`), and boolean attributes (checked, disabled...) follow
 * the value's truthiness, so a 0 read from SQLite leaves a box unchecked.
 */

const escapeAttributeText = escaperOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })

const BOOLEAN_ATTRIBUTES = new Set([
  'allowfullscreen', 'async', 'autofocus', 'autoplay', 'checked', 'controls', 'default', 'defer', 'disabled',
  'formnovalidate', 'hidden', 'inert', 'ismap', 'itemscope', 'loop', 'multiple', 'muted', 'nomodule',
  'novalidate', 'open', 'playsinline', 'readonly', 'required', 'reversed', 'selected',
])

const RENAMED: Record<string, string> = { className: 'class', htmlFor: 'for', httpEquiv: 'http-equiv' }

/** An attribute name as templates write them: letters, digits and - _ : . (never a quote or `>`). */
const VALID_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/

export function escapeAttribute(value: unknown): string {
  return escapeAttributeText(String(value))
}

function attributeName(key: string): string {
  if (RENAMED[key]) return RENAMED[key]
  if (/^(aria|data)[A-Z]/.test(key)) return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())
  return key.toLowerCase()
}

/** The attributes as a string: `type="text" value="a&quot;b" required`. */
export function stringifyAttributes(values: Record<string, unknown> | null | undefined): string {
  const printed: string[] = []
  for (const [key, value] of Object.entries(values ?? {})) {
    const name = attributeName(key)
    if (!VALID_NAME.test(name)) continue
    if (BOOLEAN_ATTRIBUTES.has(name)) {
      if (value) printed.push(name)
      continue
    }
    if (value === null || value === undefined || value === false || value === '') continue
    if (value === true) {
      printed.push(name)
      continue
    }
    const text =
      name === 'class'
        ? edgeGlobals.html.classNames(value as any)
        : Array.isArray(value)
          ? value.join(name === 'accept' ? ',' : ' ')
          : String(value)
    if (name === 'class' && !text) continue
    printed.push(`${name}="${escapeAttribute(text)}"`)
  }
  return printed.join(' ')
}

/** The `html.attrs` of every template: its output is marked safe because every value in it is escaped. */
export function safeAttrs(values: Record<string, unknown> | null | undefined) {
  return edgeGlobals.html.safe(stringifyAttributes(values))
}

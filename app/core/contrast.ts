/** WCAG 2.1 contrast between colours, for the commune's theme (UI.md: at least 4.5:1). */

export const MIN_CONTRAST = 4.5

export function parseHexColor(value: string): [number, number, number] | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim())
  if (!match) return null
  let hex = match[1]
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('')
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
}

export function normalizeHexColor(value: string): string | null {
  const rgb = parseHexColor(value)
  return rgb ? toHex(rgb) : null
}

function toHex(rgb: [number, number, number]) {
  return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')
}

function relativeLuminance([r, g, b]: [number, number, number]) {
  const channel = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

export function contrastRatio(a: string, b: string): number {
  const [ca, cb] = [parseHexColor(a), parseHexColor(b)]
  if (!ca || !cb) throw new Error(`Couleur invalide : ${ca ? b : a}`)
  const [la, lb] = [relativeLuminance(ca), relativeLuminance(cb)]
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

/**
 * The nearest colour of the same hue that reaches the minimum contrast against `other`,
 * darkening (or lightening when `other` is dark) step by step.
 */
export function suggestAccessibleColor(color: string, other: string, minimum = MIN_CONTRAST): string {
  const rgb = parseHexColor(color)
  if (!rgb) throw new Error(`Couleur invalide : ${color}`)
  const otherIsLight = relativeLuminance(parseHexColor(other)!) > 0.18
  for (let step = 1; step <= 100; step++) {
    const factor = step / 100
    const candidate = rgb.map((c) => (otherIsLight ? c * (1 - factor) : c + (255 - c) * factor)) as [
      number,
      number,
      number,
    ]
    const hex = toHex(candidate)
    if (contrastRatio(hex, other) >= minimum) return hex
  }
  return otherIsLight ? '#000000' : '#ffffff'
}

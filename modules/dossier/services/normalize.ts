
/** Small checks shared by the forms and the import, with French reasons. */

export const EMAIL_PATTERN = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[a-z]{2,}$/i

/** A value as a sentence quotes it: « value », (vide), oui/non. */
export function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(vide)'
  if (typeof value === 'boolean') return value ? 'oui' : 'non'
  return `« ${value} »`
}

export function collapse(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim()
}

/** "06.12.34.56.78" → "06 12 34 56 78"; null when not a phone number. */
export function normalizePhone(value: string): string | null {
  const compact = value.replace(/[\s.\-()]/g, '')
  if (!/^\+?\d{9,15}$/.test(compact)) return null
  if (/^0\d{9}$/.test(compact)) return compact.replace(/(\d{2})(?=\d)/g, '$1 ')
  return compact
}

/** JJ/MM/AAAA or AAAA-MM-JJ → AAAA-MM-JJ; null when not a real day (checked without luxon: imports call it per row). */
export function parseDay(value: string): string | null {
  const text = value.trim()
  let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)
  let year: number, month: number, day: number
  if (match) {
    ;[day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  } else {
    match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
    if (!match) return null
    ;[year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  }
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Whole years between an ISO birth day and an ISO day. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [y, m, d] = day.split('-').map(Number)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

export function normalizeCivility(value: string): 'Mme' | 'M.' | null | undefined {
  const key = value.trim().toUpperCase().replace(/\.$/, '')
  if (!key) return null
  if (['MME', 'MADAME', 'MLLE'].includes(key)) return 'Mme'
  if (['M', 'MR', 'MONSIEUR'].includes(key)) return 'M.'
  return undefined
}

/** A free list typed in one field ("sans porc, sans gluten") → ["sans porc", "sans gluten"]. */
export function splitList(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(/[,;\n]/)
    .map((item) => collapse(item))
    .filter(Boolean)
    .slice(0, 20)
}

const RELIGIOUS = /\b(halal|hallal|cach?er|kasher|kosher|casher|musulman\w*|juif|juive|israélite|catholique|religi\w*|carême|ramadan)\b/i

/** Diet needs say what the child eats ("sans porc"), never a religion (CNIL). */
export function religiousDietLabel(items: string[]): string | null {
  return items.find((item) => RELIGIOUS.test(item)) ?? null
}

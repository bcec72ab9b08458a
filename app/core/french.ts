/**
 * French typography for every text the portal writes around a name or a number: elision,
 * agreement by count and by sex, grouped numbers and amounts always with their unit.
 * Registered as Edge globals (start/view.ts); modules import it from '#core/french'.
 */

/** Narrow no-break space: the thousands separator ("1 050"). */
export const NNBSP = '\u202f'
/** No-break space: between an amount and its unit ("8,00 €"). */
export const NBSP = '\u00a0'

/**
 * Names with a mute h ("d'Hélène"). Any other h is treated as aspirated ("de Hanna", "de
 * Hautes-Alpes"): a wrong "de" reads better than a wrong "d'".
 */
const MUTE_H = new Set(['hélène', 'hugo', 'hector', 'hortense', 'hippolyte', 'honoré', 'honorine', 'hermine', 'heure', 'heures', 'hiver', 'histoire', 'habitant', 'habitants', 'hébergement'])

/** Letters that no accent-stripping turns into ASCII: ligatures and the like, spelt out. */
const SPELT_OUT: Record<string, string> = {
  œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  ł: 'l', Ł: 'L', þ: 'th', Þ: 'TH', ı: 'i', ĳ: 'ij', Ĳ: 'IJ', ŀ: 'l', Ŀ: 'L',
}

/** "Françoise Cœur" → "Francoise Coeur": accents dropped, œ æ ß ø... spelt out (for identifiers). */
export function asciiLetters(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒæÆßẞøØđĐðÐłŁþÞıĳĲŀĿ]/g, (letter) => SPELT_OUT[letter])
}

function baseLetters(word: string) {
  return word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/**
 * True when "de", "le", "la", "que"... elide before `word`: a vowel (accented or not, œ, æ),
 * a y followed by a consonant ("d'Yves" but "de Yanis"), or a mute h of the short list.
 */
export function elides(word: string | null | undefined): boolean {
  const text = String(word ?? '').trim()
  if (!text) return false
  const base = baseLetters(text)
  if (/^[aeiouœæ]/.test(base)) return true
  if (base.startsWith('y')) return /^y[^aeiouy]/.test(base)
  if (base.startsWith('h')) return MUTE_H.has(text.toLowerCase().split(/[\s-]/)[0])
  return false
}

type Article = 'de' | 'le' | 'la' | 'que' | 'je' | 'ne' | 'se' | 'me' | 'te' | 'De' | 'Le' | 'La' | 'Que'

/** `elide('de', 'Inès')` → "d'Inès", `elide('de', 'Lucas')` → "de Lucas", `elide('la', 'activité')` → "l'activité". */
export function elide(article: Article, word: string | null | undefined): string {
  const text = String(word ?? '')
  if (!elides(text)) return `${article} ${text}`
  const short = article === 'que' || article === 'Que' ? article.slice(0, 2) : article.slice(0, 1)
  return `${short}'${text}`
}

/** "d'Inès", "de Lucas", "d'août 2026", "d'Èze". */
export function de(word: string | null | undefined): string {
  return elide('de', word)
}

/** A number as French writes it: "1 050", "12,5", "1 050,00" with `decimals`. */
export function formatNumber(value: number | null | undefined, decimals?: number): string {
  const number = Number(value ?? 0)
  const fixed = decimals === undefined ? String(Math.round(Math.abs(number) * 1e6) / 1e6) : Math.abs(number).toFixed(decimals)
  const [whole, fraction] = fixed.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP)
  const sign = number < 0 && Number(fixed) !== 0 ? '-' : ''
  return `${sign}${grouped}${fraction ? `,${fraction}` : ''}`
}

/** Integer cents to "1 050,00 €": always the cents, always the unit. */
export function formatMoney(cents: number | null | undefined): string {
  return `${formatNumber((cents ?? 0) / 100, 2)}${NBSP}€`
}

/** Whole euros (a family quotient) to "1 050 €". */
export function formatEuros(euros: number | null | undefined): string {
  return `${formatNumber(euros ?? 0)}${NBSP}€`
}

/** "0 jour", "1 jour", "3 jours", "1 050 jours": French keeps the singular below 2. */
export function plural(count: number, singular: string, pluralForm = singular + 's'): string {
  return `${formatNumber(count)} ${Math.abs(count) >= 2 ? pluralForm : singular}`
}

/** The word alone, agreed with a count: `byCount(2, 'attend', 'attendent')` → "attendent". */
export function byCount(count: number, singular: string, pluralForm = singular + 's'): string {
  return Math.abs(count) >= 2 ? pluralForm : singular
}

/**
 * A participle agreed with a person's sex when it is known, else the neutral rewording the
 * caller gives ("a une inscription"): never "inscrit(e)".
 */
export function bySex(sex: string | null | undefined, masculine: string, feminine: string, neutral: string): string {
  if (sex === 'F') return feminine
  if (sex === 'M') return masculine
  return neutral
}

/** For the standard PDF fonts (WinAnsi, no U+202F): the narrow space becomes a no-break space. */
export function winAnsi(text: string): string {
  return text.replace(/\u202f/g, NBSP)
}

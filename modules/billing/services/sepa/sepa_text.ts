/*
 * Text for SEPA files: banks accept only the SEPA Latin character set (letters without accents,
 * digits, / - ? : ( ) . , ' + and space); everything else is transliterated or dropped, then
 * escaped for XML. Pure.
 */

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', '&': ' et ' }

/** "Élise Lefèvre & Fils" → "Elise Lefevre et Fils"; at most `max` characters. */
export function sepaText(value: string, max: number): string {
  const text = value
    .replace(/[œŒæÆßøØđĐłŁ&]/g, (char) => LIGATURES[char])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text.slice(0, max).trim()
}

/** The five characters XML reserves. */
export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** An identifier (MsgId, PmtInfId, EndToEndId): ≤ 35 characters of the restricted set, no "//", not starting or ending with "/". */
export function sepaIdError(id: string): string | null {
  if (!id.length || id.length > 35) return `l'identifiant « ${id} » doit compter de 1 à 35 caractères`
  if (!/^[A-Za-z0-9/\-?:().,'+ ]+$/.test(id)) return `l'identifiant « ${id} » contient un caractère hors du jeu SEPA`
  if (id.startsWith('/') || id.endsWith('/') || id.includes('//')) return `l'identifiant « ${id} » ne peut ni commencer ni finir par « / », ni contenir « // »`
  return null
}

/** 1234 cents → "12.34": the decimal string of an amount in a SEPA file. */
export function decimalAmount(cents: number): string {
  if (!Number.isInteger(cents) || cents < 0) throw new Error(`Montant invalide : ${cents}`)
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

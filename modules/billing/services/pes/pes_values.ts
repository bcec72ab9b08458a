/* The values of a PES V2 file as Hélios reads them: amounts as decimal strings, text within Latin-1. Pure. */

/** "1234" cents → "12.34": the decimal string of the file, exact (no float arithmetic). */
export function decimal(cents: number): string {
  if (!Number.isInteger(cents)) throw new Error(`Montant en centimes non entier : ${cents}`)
  const sign = cents < 0 ? '-' : ''
  const absolute = Math.abs(cents)
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`
}

const TYPOGRAPHY: [RegExp, string][] = [
  [/[\u2018\u2019\u201a\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/\u0153/g, 'oe'],
  [/\u0152/g, 'OE'],
  [/\u20ac/g, 'EUR'],
  [/\u0110/g, 'D'],
  [/\u0111/g, 'd'],
  [/\u0141/g, 'L'],
  [/\u0142/g, 'l'],
]

/** Printable Latin-1 without a blank other than the space: nothing for pesText to change (20,000 titles a month). */
const PLAIN_LATIN1 = /^[\x20-\x7e\xa1-\xff]*$/

/**
 * Text as Hélios reads it: within Latin-1 (the PES files of the trésoreries' chain are
 * ISO-8859-1), so typographic quotes and dashes become their ASCII forms and any other
 * character beyond Latin-1 loses its accent or is dropped; no control character (not allowed in
 * XML 1.0); runs of blanks become one space; cut to the PES maximum length.
 */
export function pesText(value: string, max: number): string {
  // Most values (names, references, labels) are already Latin-1 text with single spaces: as is.
  if (PLAIN_LATIN1.test(value) && !value.includes('  ') && !value.startsWith(' ') && !value.endsWith(' ')) return value.slice(0, max)
  let result = value
  for (const [pattern, replacement] of TYPOGRAPHY) result = result.replace(pattern, replacement)
  result = [...result]
    .map((char) => (char.codePointAt(0)! <= 0xff ? char : char.normalize('NFD').replace(/[^\u0000-\u00ff]/g, '')))
    .join('')
  // eslint-disable-next-line no-control-regex
  return [...result.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim()].slice(0, max).join('')
}

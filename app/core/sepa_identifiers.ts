/*
 * The check digits shared by SEPA identifiers (ISO 7064 mod 97-10): the IBAN (billing checks it)
 * and the creditor identifier (ICS), which start/env.ts checks at boot. Pure, no dependencies.
 */

/** The remainder mod 97 of a string of letters (A = 10 … Z = 35) and digits, by pieces. */
export function mod97(text: string): number {
  let remainder = 0
  for (const char of text) {
    const code = char.charCodeAt(0)
    const digits = code >= 65 ? String(code - 55) : char
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97
  }
  return remainder
}

/**
 * A creditor identifier (ICS): country, 2 check digits, a 3-character business code, then the
 * national identifier (6 characters in France: FR12ZZZ123456); the check digits are mod-97 of
 * the national identifier followed by the country and 00, the business code left out.
 */
export function creditorIdError(raw: string): string | null {
  const ics = raw.replace(/\s+/g, '').toUpperCase()
  const match = /^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/.exec(ics)
  if (!match) return "l'identifiant créancier SEPA (ICS) s'écrit : 2 lettres du pays, 2 chiffres de contrôle, 3 lettres ou chiffres, puis l'identifiant national (par exemple FR12ZZZ123456)."
  const [, country, check, , national] = match
  if (country === 'FR' && national.length !== 6) return `un ICS français compte 13 caractères (par exemple FR12ZZZ123456) : celui-ci en compte ${ics.length}.`
  if (98 - mod97(national + country + '00') !== Number(check)) return "la clé de contrôle de l'ICS (3e et 4e caractères) est fausse : vérifiez-le."
  return null
}

/** The check digits an ICS of this country and national identifier carries. */
export function creditorIdCheckDigits(country: string, national: string): string {
  return String(98 - mod97(national.toUpperCase() + country.toUpperCase() + '00')).padStart(2, '0')
}

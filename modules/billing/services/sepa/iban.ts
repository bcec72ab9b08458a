import { mod97 } from '#core/sepa_identifiers'

/**
 * IBAN, BIC, RUM and creditor identifier (ICS) of the SEPA direct debit, without I/O. Messages
 * are the sentences a parent reads beside the field.
 */

/** The countries of the SEPA scheme and the length of their IBAN (ECB / EPC register). */
export const SEPA_COUNTRIES: Record<string, { name: string; length: number }> = {
  AD: { name: "l'Andorre", length: 24 },
  AT: { name: "l'Autriche", length: 20 },
  BE: { name: 'la Belgique', length: 16 },
  BG: { name: 'la Bulgarie', length: 22 },
  CH: { name: 'la Suisse', length: 21 },
  CY: { name: 'Chypre', length: 28 },
  CZ: { name: 'la Tchéquie', length: 24 },
  DE: { name: "l'Allemagne", length: 22 },
  DK: { name: 'le Danemark', length: 18 },
  EE: { name: "l'Estonie", length: 20 },
  ES: { name: "l'Espagne", length: 24 },
  FI: { name: 'la Finlande', length: 18 },
  FR: { name: 'la France', length: 27 },
  GB: { name: 'le Royaume-Uni', length: 22 },
  GI: { name: 'Gibraltar', length: 23 },
  GR: { name: 'la Grèce', length: 27 },
  HR: { name: 'la Croatie', length: 21 },
  HU: { name: 'la Hongrie', length: 28 },
  IE: { name: "l'Irlande", length: 22 },
  IS: { name: "l'Islande", length: 26 },
  IT: { name: "l'Italie", length: 27 },
  LI: { name: 'le Liechtenstein', length: 21 },
  LT: { name: 'la Lituanie', length: 20 },
  LU: { name: 'le Luxembourg', length: 20 },
  LV: { name: 'la Lettonie', length: 21 },
  MC: { name: 'Monaco', length: 27 },
  MT: { name: 'Malte', length: 31 },
  NL: { name: 'les Pays-Bas', length: 18 },
  NO: { name: 'la Norvège', length: 15 },
  PL: { name: 'la Pologne', length: 28 },
  PT: { name: 'le Portugal', length: 25 },
  RO: { name: 'la Roumanie', length: 24 },
  SE: { name: 'la Suède', length: 24 },
  SI: { name: 'la Slovénie', length: 19 },
  SK: { name: 'la Slovaquie', length: 24 },
  SM: { name: 'Saint-Marin', length: 27 },
  VA: { name: 'le Vatican', length: 22 },
  // French overseas departments and collectivities with their own ISO code (IBAN of the French format).
  BL: { name: 'Saint-Barthélemy', length: 27 },
  GF: { name: 'la Guyane', length: 27 },
  GP: { name: 'la Guadeloupe', length: 27 },
  MF: { name: 'Saint-Martin', length: 27 },
  MQ: { name: 'la Martinique', length: 27 },
  PM: { name: 'Saint-Pierre-et-Miquelon', length: 27 },
  RE: { name: 'La Réunion', length: 27 },
  YT: { name: 'Mayotte', length: 27 },
}

/** Countries whose banks share BIC country codes (French territories and Monaco; the Crown dependencies). */
const SAME_BANKING_AREA = [
  ['FR', 'MC', 'BL', 'GF', 'GP', 'MF', 'MQ', 'PM', 'RE', 'YT'],
  ['GB', 'GG', 'JE', 'IM'],
]

/** "fr76 3000-6000 ..." → "FR763000600...": spaces, hyphens and dots dropped, upper case. */
export function normalizeIban(value: string): string {
  return value.replace(/[\s\u00a0.-]+/g, '').toUpperCase()
}


function countryLabel(code: string) {
  const country = SEPA_COUNTRIES[code]
  return country ? `${country.name} (${code})` : code
}

/** Null when the IBAN is valid for a SEPA debit; otherwise the one sentence that says what is wrong. */
export function ibanError(raw: string): string | null {
  const iban = normalizeIban(raw)
  if (!iban) return "Saisissez l'IBAN du compte à débiter."
  if (!/^[A-Z0-9]+$/.test(iban)) return "L'IBAN ne contient que des lettres et des chiffres : retirez les autres signes."
  if (!/^[A-Z]{2}/.test(iban)) return "L'IBAN commence par les deux lettres du pays du compte (FR pour la France)."
  const code = iban.slice(0, 2)
  const country = SEPA_COUNTRIES[code]
  if (!country) return `Ce pays (${code}) n'est pas dans la zone SEPA : le prélèvement n'est possible que sur un compte d'un pays de la zone SEPA.`
  if (!/^[A-Z]{2}\d{2}/.test(iban)) return `Après les lettres ${code}, l'IBAN continue par deux chiffres (la clé de contrôle).`
  if (iban.length !== country.length) {
    return `L'IBAN doit compter ${country.length} caractères pour ${countryLabel(code)} : vous en avez saisi ${iban.length}.`
  }
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return "La clé de contrôle de l'IBAN est fausse : vérifiez chaque caractère."
  return null
}

export function isValidIban(raw: string): boolean {
  return ibanError(raw) === null
}

/** "FR76 3000 6000 0112 3456 7890 189" */
export function formatIban(raw: string): string {
  return normalizeIban(raw).replace(/(.{4})(?=.)/g, '$1 ')
}

/**
 * For every page but the holder's own form: the country and check digits, the last 3 or 4
 * characters, bullets between — "FR76 •••• •••• •••• •••• •••• 189".
 */
export function maskIban(raw: string): string {
  const iban = normalizeIban(raw)
  if (iban.length < 9) return '•'.repeat(iban.length)
  const tail = iban.length % 4 === 3 ? 3 : 4
  return formatIban(iban.slice(0, 4) + '•'.repeat(iban.length - 4 - tail) + iban.slice(-tail))
}

export function normalizeBic(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase()
}

/** Null for a well-formed BIC (8 or 11 characters) of the IBAN's country; the sentence otherwise. */
export function bicError(raw: string, iban?: string | null): string | null {
  const bic = normalizeBic(raw)
  if (!/^[A-Z0-9]+$/.test(bic) || (bic.length !== 8 && bic.length !== 11)) {
    return 'Le BIC compte 8 ou 11 lettres et chiffres (par exemple BNPAFRPP ou BNPAFRPPXXX).'
  }
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
    return 'Le BIC commence par 6 lettres : 4 pour la banque, puis 2 pour le pays (par exemple BNPAFRPP).'
  }
  const ibanCountry = iban ? normalizeIban(iban).slice(0, 2) : null
  const bicCountry = bic.slice(4, 6)
  if (ibanCountry && SEPA_COUNTRIES[ibanCountry] && bicCountry !== ibanCountry) {
    const together = SAME_BANKING_AREA.some((area) => area.includes(bicCountry) && area.includes(ibanCountry))
    if (!together) {
      return `Ce BIC est celui d'une banque de ${countryLabel(bicCountry)} mais l'IBAN est celui d'un compte de ${countryLabel(ibanCountry)} : vérifiez-les.`
    }
  }
  return null
}

/** Characters a RUM may hold here: the SEPA Latin set narrowed to capitals, digits and hyphens. */
export const RUM_PATTERN = /^[A-Z0-9](?:[A-Z0-9-]{0,33}[A-Z0-9])?$/

/**
 * A unique mandate reference (RUM, ≤ 35 characters): the family reference in capitals and
 * digits, the signature day, the family's mandate counter — "F000123-20260914-02".
 */
export function generateRum(familyReference: string, signedOn: string, counter: number): string {
  const day = signedOn.replace(/-/g, '').slice(0, 8)
  const number = String(counter).padStart(2, '0')
  const reference = familyReference.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 34 - day.length - number.length - 2) || 'FAMILLE'
  return `${reference}-${day}-${number}`
}

export { creditorIdError, creditorIdCheckDigits } from '#core/sepa_identifiers'

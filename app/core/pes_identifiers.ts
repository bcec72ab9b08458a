/*
 * The commune's accounting identifiers for the PES V2 export to the Trésor public (Hélios), as
 * start/env.ts checks them at boot and billing reads them. Pure, no dependencies.
 */

export interface PesVariable {
  name: string
  label: string
  /** null when the value is acceptable, else a French sentence saying what is expected. */
  check: (value: string) => string | null
}

/** SIRET: 14 digits with a Luhn key (La Poste's establishments, SIREN 356000000, use another rule). */
export function siretError(value: string): string | null {
  if (!/^\d{14}$/.test(value)) return 'un SIRET compte 14 chiffres (SIREN de la commune puis NIC), sans espace.'
  if (value.startsWith('356000000')) return null
  let sum = 0
  for (let index = 0; index < 14; index++) {
    let digit = Number(value[13 - index])
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    sum += digit
  }
  return sum % 10 === 0 ? null : 'la clé du SIRET est fausse : vérifiez-le sur l’avis de situation INSEE de la commune.'
}

const pattern = (regexp: RegExp, message: string) => (value: string) => (regexp.test(value) ? null : message)

/** Required to write a PES file, in the order the configuration table lists them. */
export const PES_REQUIRED: PesVariable[] = [
  { name: 'PES_ID_POST', label: 'code du poste comptable (IdPost)', check: pattern(/^\d{6}$/, 'le code du poste comptable (IdPost) compte 6 chiffres (par exemple 006034).') },
  { name: 'PES_ID_COLL', label: 'SIRET de la collectivité (IdColl)', check: siretError },
  { name: 'PES_COD_COL', label: 'code collectivité (CodCol)', check: pattern(/^[A-Z0-9]{3}$/, 'le code collectivité Hélios (CodCol) compte 3 caractères, chiffres ou lettres capitales (par exemple 123).') },
  { name: 'PES_COD_BUD', label: 'code budget (CodBud)', check: pattern(/^[A-Z0-9]{2}$/, 'le code budget Hélios (CodBud) compte 2 caractères, chiffres ou lettres capitales (par exemple 01).') },
  { name: 'PES_LIBELLE_COL_BUD', label: 'libellé de la collectivité et du budget (LibelleColBud)', check: pattern(/^.{1,50}$/, 'le libellé de la collectivité et du budget (LibelleColBud) compte de 1 à 50 caractères.') },
  { name: 'PES_NATURE', label: 'nature comptable des lignes (Nature)', check: pattern(/^\d{2,10}$/, 'la nature comptable (compte par nature, par exemple 7067) compte de 2 à 10 chiffres.') },
  { name: 'PES_FONCTION', label: 'fonction des lignes (Fonction)', check: pattern(/^[A-Z0-9]{1,10}$/, 'la fonction (par exemple 251 pour la restauration scolaire) compte de 1 à 10 chiffres ou lettres capitales.') },
]

/** Optional. */
export const PES_OPTIONAL: PesVariable[] = [
  { name: 'PES_LIBELLE_POSTE', label: 'libellé du poste comptable (LibellePoste)', check: pattern(/^.{1,50}$/, 'le libellé du poste comptable (LibellePoste) compte de 1 à 50 caractères.') },
]

export function pesVariable(name: string): PesVariable | undefined {
  return [...PES_REQUIRED, ...PES_OPTIONAL].find((variable) => variable.name === name)
}

/** The value as it is kept: trimmed, codes in capitals. */
export function normalizePesValue(name: string, value: string): string {
  const trimmed = value.trim()
  return name.startsWith('PES_LIBELLE') ? trimmed.replace(/\s+/g, ' ') : trimmed.replace(/\s+/g, '').toUpperCase()
}

import db from '@adonisjs/lucid/services/db'
import { asciiLetters } from '#core/french'

/** « N’Diaye », « NDIAYE », « n diaye » → "ndiaye": names compared without case, accents, spaces or marks. */
function nameKey(name: unknown) {
  return typeof name === 'string' ? asciiLetters(name).toLowerCase().replace(/[^a-z]/g, '') : ''
}

function namesOf(...lists: unknown[]) {
  return new Set(lists.flatMap((list) => (typeof list === 'string' ? list.split(/\s+/) : [])).map(nameKey).filter(Boolean))
}

/**
 * The accounts of the guardians who bear an identity: same birth date, a family name equal to
 * the guardian's name or birth name (FranceConnect gives the birth name), and one of the given
 * names among the guardian's first names. Asked by accounts when someone comes through
 * FranceConnect without a linked account.
 */
export default async function guardianAccounts(identity: { givenNames: string; familyName: string; birthdate: string }): Promise<number[]> {
  const givenNames = namesOf(identity.givenNames)
  const familyName = nameKey(identity.familyName)
  // Every column: the birth identity's (birth_name, birth_first_names) when the dossier keeps it.
  const rows: Array<Record<string, unknown>> = await db.from('guardians').where('birth_date', identity.birthdate).whereNotNull('user_id').select('*')
  const matching = rows.filter(
    (row) =>
      [nameKey(row.last_name), nameKey(row.birth_name)].includes(familyName) &&
      [...namesOf(row.first_name, row.birth_first_names)].some((name) => givenNames.has(name))
  )
  return [...new Set(matching.map((row) => Number(row.user_id)))]
}

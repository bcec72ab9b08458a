import db from '@adonisjs/lucid/services/db'
import { asciiLetters } from '#core/french'

/** « N’Diaye », « NDIAYE », « n diaye » → "ndiaye": names compared without case, accents, spaces or marks. */
function nameKey(name: string) {
  return asciiLetters(name).toLowerCase().replace(/[^a-z]/g, '')
}

/**
 * The accounts of the guardians who bear an identity: same family name, same birth date, and
 * a first name equal to one of the given names ("Christine Marie" is Christine). Asked by
 * accounts when someone comes through FranceConnect without a linked account.
 */
export default async function guardianAccounts(identity: { givenNames: string; familyName: string; birthdate: string }): Promise<number[]> {
  const givenNames = new Set(identity.givenNames.split(/\s+/).map(nameKey).filter(Boolean))
  const familyName = nameKey(identity.familyName)
  const rows: Array<{ user_id: number; first_name: string; last_name: string }> = await db
    .from('guardians')
    .where('birth_date', identity.birthdate)
    .whereNotNull('user_id')
    .select('user_id', 'first_name', 'last_name')
  const matching = rows.filter((row) => nameKey(row.last_name) === familyName && givenNames.has(nameKey(row.first_name)))
  return [...new Set(matching.map((row) => Number(row.user_id)))]
}

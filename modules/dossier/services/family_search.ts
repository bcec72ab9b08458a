import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type Family from '#modules/dossier/models/family'
import { asciiLetters } from '#core/french'
import { directRead, directWrite, listOf } from '#core/direct_sql'
import { groupBy } from '#core/chunks'

/*
 * The staff's family search (Gestion > Familles) reads one folded text a family, `search_text`:
 * the family's reference and email, each guardian's names (both orders) and email, each child's
 * names and reference, one a line, without accents or case. « elodie », « Élodie » and « ÉLODIE »
 * find Élodie on both databases (SQLite's lower() folds ASCII letters only), and a search reads
 * one column of one table instead of three tables' names folded row by row (20,000 families:
 * ~120 ms of SQLite's one connection before, for each search and its count).
 * Triggers empty the text on any write to what it is made of (migration 1700000200700); the
 * search writes the emptied ones again first, a batch per transaction.
 */

/** Families whose text is written again in one transaction. */
const FAMILIES_AT_ONCE = 500

/** A text as the search compares it: no accents, no case, its spaces as one. */
export function searchFolded(text: string): string {
  return asciiLetters(text.normalize('NFC')).toLowerCase().replace(/\s+/g, ' ').trim()
}

/** A `like` pattern that finds `term` anywhere, its own % and _ taken as they are. */
function containing(term: string) {
  return `%${searchFolded(term).replace(/[%_\\]/g, (char) => '\\' + char)}%`
}

type Named = { family_id: number | string; first_name: string; last_name: string }

function searchTextOf(
  family: { reference: string; email: string | null },
  guardians: Array<Named & { email: string | null }>,
  children: Array<Named & { reference: string }>
) {
  const fields = [family.reference, family.email]
  for (const person of [...guardians, ...children]) fields.push(`${person.last_name} ${person.first_name}`, `${person.first_name} ${person.last_name}`)
  for (const guardian of guardians) fields.push(guardian.email)
  for (const child of children) fields.push(child.reference)
  return fields
    .filter((field): field is string => !!field)
    .map(searchFolded)
    .join('\n')
}

class FamilySearch {
  /** Writes the text of every family a write emptied; how many it wrote. */
  async refresh(): Promise<number> {
    let written = 0
    for (;;) {
      const batch = await db.transaction((trx) => this.#refreshSome(trx))
      written += batch
      if (batch < FAMILIES_AT_ONCE) return written
    }
  }

  /** Narrows a query of families to those whose text holds `term` (refresh() first). */
  matching(query: ModelQueryBuilderContract<typeof Family>, term: string) {
    return query.whereRaw("families.search_text like ? escape '\\'", [containing(term)])
  }

  /** The ids of those families, as a subquery for another module's `whereIn` (refresh() first). */
  idsMatching(term: string) {
    return db.from('families').whereRaw("search_text like ? escape '\\'", [containing(term)]).select('id')
  }

  async #refreshSome(trx: TransactionClientContract): Promise<number> {
    // PostgreSQL: the rows are locked before their guardians and children are read, so a write
    // committed meanwhile waits, then empties the text again (SQLite's writes are one at a time).
    const lock = trx.dialect.name === 'postgres' ? ' for update' : ''
    const families = await directRead<{ id: number | string; reference: string; email: string | null }>(
      `select id, reference, email from families where search_text is null order by id limit ${FAMILIES_AT_ONCE}${lock}`,
      [],
      trx
    )
    if (!families.length) return 0
    const ids = families.map((family) => Number(family.id))
    const guardians = await directRead<Named & { email: string | null }>(
      'select family_id, first_name, last_name, email from guardians where family_id in (?) order by id',
      [listOf(ids)],
      trx
    )
    const children = await directRead<Named & { reference: string }>(
      'select family_id, first_name, last_name, reference from children where family_id in (?) order by id',
      [listOf(ids)],
      trx
    )
    const guardiansOf = groupBy(guardians, (row) => Number(row.family_id))
    const childrenOf = groupBy(children, (row) => Number(row.family_id))
    const texts = families.map((family) => [Number(family.id), searchTextOf(family, guardiansOf.get(Number(family.id)) ?? [], childrenOf.get(Number(family.id)) ?? [])] as const)
    await directWrite(
      `update families set search_text = CASE id ${texts.map(() => 'WHEN ? THEN ?').join(' ')} END where id in (?)`,
      [...texts.flat(), listOf(ids)],
      trx
    )
    return families.length
  }
}

const familySearch = new FamilySearch()
export default familySearch

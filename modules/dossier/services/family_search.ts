import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type Family from '#modules/dossier/models/family'
import { directRead, listOf } from '#core/direct_sql'
import { groupBy } from '#core/chunks'
import { FoldedSearch } from '#core/folded_search'

/*
 * The staff's family search (Gestion > Familles, messaging's « Famille » filter) reads one
 * folded text a family, `families.search_text` (#core/folded_search): the family's reference and
 * email, each guardian's names (both orders) and email, each child's names and reference. At
 * 20,000 families it reads one column of one table instead of three tables' names folded row by
 * row (modules/dossier/bench/_family_search.ts).
 */

type Named = { family_id: number | string; first_name: string; last_name: string }

class FamilySearch extends FoldedSearch {
  constructor() {
    super('families', async (ids, trx) => {
      const families = await directRead<{ id: number | string; reference: string; email: string | null }>('select id, reference, email from families where id in (?)', [listOf(ids)], trx)
      const guardians = groupBy(
        await directRead<Named & { email: string | null }>('select family_id, first_name, last_name, email from guardians where family_id in (?) order by id', [listOf(ids)], trx),
        (row) => Number(row.family_id)
      )
      const children = groupBy(
        await directRead<Named & { reference: string }>('select family_id, first_name, last_name, reference from children where family_id in (?) order by id', [listOf(ids)], trx),
        (row) => Number(row.family_id)
      )
      return new Map(
        families.map((family) => {
          const id = Number(family.id)
          const people = [...(guardians.get(id) ?? []), ...(children.get(id) ?? [])]
          return [
            id,
            [
              family.reference,
              family.email,
              ...people.flatMap((person) => [`${person.last_name} ${person.first_name}`, `${person.first_name} ${person.last_name}`]),
              ...(guardians.get(id) ?? []).map((guardian) => guardian.email),
              ...(children.get(id) ?? []).map((child) => child.reference),
            ],
          ]
        })
      )
    })
  }

  /** Narrows a query of families to those whose text holds `term` (refresh() first). */
  matching(query: ModelQueryBuilderContract<typeof Family>, term: string) {
    return query.whereRaw(...this.condition(term))
  }
}

const familySearch = new FamilySearch()
export default familySearch

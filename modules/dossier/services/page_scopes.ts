import type { ScopeSelect } from '#core/page_change_triggers'

/**
 * For a table's change triggers (#core/page_change_triggers): the households that share the
 * custody of the written row's child (`child_id`, or `id` on the children's table) see the
 * child's rows on their pages too. Dossier owns custody_arrangements; another module's trigger
 * names these households through this, not by reading the table itself.
 */
export function custodyHouseholds(childColumn: 'child_id' | 'id'): ScopeSelect {
  return `select 'family:' || other_family_id from custody_arrangements where child_id = {row}.${childColumn}`
}

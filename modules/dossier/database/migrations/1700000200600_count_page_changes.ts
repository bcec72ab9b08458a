import { BaseSchema } from '@adonisjs/lucid/schema'
import { OWN_FAMILY, addChangeTriggers, dropChangeTriggers, type CountedTable } from '#core/page_change_triggers'
import { custodyHouseholds } from '#modules/dossier/services/page_scopes'

/**
 * The families' pages show the children (to the household sharing a child's custody too) and the
 * custody arrangements (to both households): their writes count (#core/page_change_triggers).
 * Which account acts for a family (its guardians' accounts) counts too: a page kept for an
 * account is not sent again once the account no longer belongs to the family.
 */
const TABLES: CountedTable[] = [
  ['children', [OWN_FAMILY, custodyHouseholds('id')]],
  ['custody_arrangements', ["select 'family:' || family_id from children where id = {row}.child_id", "select 'family:' || {row}.other_family_id"]],
  ['guardians', [OWN_FAMILY], ['family_id', 'user_id']],
]

export default class extends BaseSchema {
  async up() {
    addChangeTriggers(this, TABLES)
  }

  async down() {
    dropChangeTriggers(this, TABLES)
  }
}

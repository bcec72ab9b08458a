import { BaseSchema } from '@adonisjs/lucid/schema'
import { CATALOGUE, OWN_FAMILY, addChangeTriggers, dropChangeTriggers, type CountedTable } from '#core/page_change_triggers'
import { custodyHouseholds } from '#modules/dossier/index'

/**
 * The families' pages show the registrations (the household sharing a child's custody sees the
 * child's: dossier names that household, custodyHouseholds) and the activities' names and dates:
 * their writes count (#core/page_change_triggers). An activity's registration counter is not
 * shown there: its updates do not count.
 */
const TABLES: CountedTable[] = [
  ['registrations', [OWN_FAMILY, custodyHouseholds('child_id')]],
  ['activities', [CATALOGUE], ['name', 'starts_on', 'ends_on', 'activity_type_id']],
  ['activity_types', [CATALOGUE]],
]

export default class extends BaseSchema {
  async up() {
    addChangeTriggers(this, TABLES)
  }

  async down() {
    dropChangeTriggers(this, TABLES)
  }
}

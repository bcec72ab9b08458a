import { BaseSchema } from '@adonisjs/lucid/schema'
import { CATALOGUE, OWN_FAMILY, addChangeTriggers, dropChangeTriggers, type CountedTable } from '#core/page_change_triggers'

/** What the planning page shows of these tables counts its writes (#core/page_change_triggers). */
const TABLES: CountedTable[] = [
  ['planning_bookings', [OWN_FAMILY]],
  ['planning_waitlist_entries', [OWN_FAMILY]],
  ['planning_waitlist_offers', [OWN_FAMILY]],
  ['planning_settings', [CATALOGUE]],
  ['planning_school_holidays', [CATALOGUE]],
  ['planning_closures', [CATALOGUE]],
]

export default class extends BaseSchema {
  async up() {
    addChangeTriggers(this, TABLES)
  }

  async down() {
    dropChangeTriggers(this, TABLES)
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'
import { CATALOGUE, OWN_FAMILY, changeTriggerStatements, dropChangeTriggerStatements } from '#core/page_change_triggers'

/** What the planning page shows of these tables counts its writes (#core/page_change_triggers). */
const TABLES = {
  planning_bookings: [OWN_FAMILY],
  planning_waitlist_entries: [OWN_FAMILY],
  planning_waitlist_offers: [OWN_FAMILY],
  planning_settings: [CATALOGUE],
  planning_school_holidays: [CATALOGUE],
  planning_closures: [CATALOGUE],
}

export default class extends BaseSchema {
  async up() {
    for (const [table, scopes] of Object.entries(TABLES)) {
      for (const sql of changeTriggerStatements(this.db.dialect.name, table, scopes)) this.schema.raw(sql)
    }
  }

  async down() {
    for (const table of Object.keys(TABLES)) {
      for (const sql of dropChangeTriggerStatements(this.db.dialect.name, table)) this.schema.raw(sql)
    }
  }
}

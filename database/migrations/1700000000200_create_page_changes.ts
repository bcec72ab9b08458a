import { BaseSchema } from '@adonisjs/lucid/schema'
import { PAGE_CHANGES_TABLE } from '#core/page_change_triggers'

/** The writes the families' pages depend on, counted by scope (#core/page_changes). */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable(PAGE_CHANGES_TABLE, (table) => {
      table.bigIncrements('id')
      table.string('scope', 80).notNullable()
      table.integer('n').notNullable().defaultTo(1)
      table.index(['scope', 'n'])
    })
  }

  async down() {
    this.schema.dropTable(PAGE_CHANGES_TABLE)
  }
}

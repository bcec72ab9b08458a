import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Shared custody: a child of one family whose weeks alternate with a second household (another
 * family of the portal). The child stays in its family; the arrangement links it to the other one.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('custody_arrangements', (table) => {
      table.increments('id')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('other_family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      // the household of the even ISO weeks: the child's family or the other one
      table.integer('even_weeks_family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('starts_on', 10).notNullable()
      // last day shared; null while the arrangement runs
      table.string('ends_on', 10).nullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('ended_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['child_id'])
      table.index(['other_family_id'])
    })
  }

  async down() {
    this.schema.dropTable('custody_arrangements')
  }
}

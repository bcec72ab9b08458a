import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A family's standing weekly pattern ("every Monday and Thursday at the canteen until …"):
 * it books the matching days when it is saved, and the days the staff generate later.
 * One active pattern per child and activity: a partial unique index (PostgreSQL and SQLite both
 * have them) makes a double submit create one row.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('planning_weekly_patterns', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      /** ISO weekdays as JSON, 1 = Monday … 7 = Sunday. */
      table.string('weekdays', 40).notNullable()
      table.string('until_on', 10).notNullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('stopped_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['family_id'])
      table.index(['activity_id', 'until_on'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX planning_weekly_patterns_one_active ON planning_weekly_patterns (child_id, activity_id) WHERE stopped_at IS NULL'
    )
  }

  async down() {
    this.schema.dropTable('planning_weekly_patterns')
  }
}

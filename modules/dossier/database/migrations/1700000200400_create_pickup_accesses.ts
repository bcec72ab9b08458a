import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Read-only accesses of authorized persons: a guardian invites one of them (an account of role
 * `pickup`) to see the booked days of the children they pick up, on the weekdays chosen.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('pickup_accesses', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('authorized_person_id').unsigned().notNullable().unique().references('id').inTable('authorized_persons').onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('email', 254).notNullable()
      // ISO weekdays "1,3,5" (Monday = 1); null: every day the children are booked.
      table.string('weekdays', 20).nullable()
      table.timestamp('invited_at', { useTz: true }).notNullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['user_id'])
      table.index(['family_id'])
    })

    this.schema.createTable('pickup_access_children', (table) => {
      table.integer('pickup_access_id').unsigned().notNullable().references('id').inTable('pickup_accesses').onDelete('CASCADE')
      table.integer('child_id').unsigned().notNullable().references('id').inTable('children').onDelete('CASCADE')
      table.primary(['pickup_access_id', 'child_id'])
    })
  }

  async down() {
    this.schema.dropTable('pickup_access_children')
    this.schema.dropTable('pickup_accesses')
  }
}

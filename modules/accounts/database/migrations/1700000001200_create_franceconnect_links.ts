import { BaseSchema } from '@adonisjs/lucid/schema'

/** An account signs in with FranceConnect once linked: one FranceConnect identity per account, and the reverse. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('franceconnect_links', (table) => {
      table.increments('id')
      table.integer('user_id').unsigned().notNullable().unique().references('id').inTable('users').onDelete('CASCADE')
      table.string('sub', 255).notNullable().unique()
      table.timestamp('linked_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable('franceconnect_links')
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'

/** A guardian's birth date (AAAA-MM-JJ): with the names, recognises them when they come through FranceConnect. */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('guardians', (table) => {
      table.string('birth_date', 10).nullable()
    })
  }

  async down() {
    this.schema.alterTable('guardians', (table) => {
      table.dropColumn('birth_date')
    })
  }
}

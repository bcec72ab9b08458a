import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A guardian's birth date (AAAA-MM-JJ): with the names, recognises them when they come through
 * FranceConnect. The guardians' birth identity for API Particulier (issue 18's other half) adds
 * the same column: whichever comes first adds it, this one then leaves it alone.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      if (!(await db.schema.hasColumn('guardians', 'birth_date'))) {
        await db.schema.alterTable('guardians', (table) => table.string('birth_date', 10).nullable())
      }
    })
  }

  async down() {
    this.defer(async (db) => {
      // Only when this migration added it (the birth identity's migration brings birth_name too).
      if (!(await db.schema.hasColumn('guardians', 'birth_name'))) {
        await db.schema.alterTable('guardians', (table) => table.dropColumn('birth_date'))
      }
    })
  }
}

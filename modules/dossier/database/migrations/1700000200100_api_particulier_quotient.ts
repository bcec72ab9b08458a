import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The family quotient fetched from API Particulier: the guardians' birth identity (what the API
 * is asked with), who set the family's QF, the consents (dated, revocable) and each fetch the
 * parent or the command made, confirmed once.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('guardians', (table) => {
      table.string('birth_name', 120).nullable()
      table.string('birth_first_names', 200).nullable()
      table.string('birth_sex', 1).nullable()
      table.string('birth_date', 10).nullable()
      table.string('birth_country_code', 5).nullable()
      table.string('birth_commune_code', 5).nullable()
    })
    this.schema.alterTable('families', (table) => {
      // 'service' (set by staff: never replaced by a fetch), 'api_particulier', or null (import, older data)
      table.string('quotient_origin', 20).nullable()
    })
    this.schema.createTable('quotient_consents', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('guardian_id').unsigned().notNullable().references('id').inTable('guardians').onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('given_at', { useTz: true }).notNullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.index(['family_id'])
    })
    this.schema.createTable('quotient_fetches', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('value').notNullable()
      table.string('provider', 8).notNullable()
      table.integer('year').notNullable()
      table.integer('month').notNullable()
      table.timestamp('fetched_at', { useTz: true }).notNullable()
      table.timestamp('confirmed_at', { useTz: true }).nullable()
      // 'applied' or 'kept-service' (a staff-set QF stays; the service is told)
      table.string('outcome', 20).nullable()
      table.index(['family_id'])
    })
  }

  async down() {
    this.schema.dropTable('quotient_fetches')
    this.schema.dropTable('quotient_consents')
    this.schema.alterTable('families', (table) => table.dropColumn('quotient_origin'))
    this.schema.alterTable('guardians', (table) => {
      for (const column of ['birth_name', 'birth_first_names', 'birth_sex', 'birth_date', 'birth_country_code', 'birth_commune_code']) table.dropColumn(column)
    })
  }
}

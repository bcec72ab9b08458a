import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * SEPA direct-debit mandates (issue 17): the IBAN is kept encrypted with the app key
 * (`iban_encrypted`), pages show `iban_masked` without decrypting. At most one active mandate
 * per family: a partial unique index (SQLite and PostgreSQL), the service checks it too.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('sepa_mandates', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.string('rum', 35).notNullable().unique()
      table.string('holder_name', 70).notNullable()
      table.text('iban_encrypted').notNullable()
      table.string('iban_masked', 50).notNullable()
      table.string('bic', 11).nullable()
      table.timestamp('signed_at', { useTz: true }).notNullable()
      table.integer('signed_by_user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('sequence', 4).notNullable().defaultTo('FRST')
      table.string('status', 10).notNullable().defaultTo('active')
      table.timestamp('ended_at', { useTz: true }).nullable()
      table.integer('ended_by_user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      // Points to a later row: checked at commit, so that a copy in id order (sqlite_to_postgres) passes.
      table.integer('replaced_by_id').unsigned().nullable().references('id').inTable('sepa_mandates').onDelete('SET NULL').deferrable('deferred')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['family_id'])
      table.index(['status'])
      table.check("sequence IN ('FRST', 'RCUR')", [], 'sepa_mandates_sequence_check')
      table.check("status IN ('active', 'revoked', 'replaced')", [], 'sepa_mandates_status_check')
    })
    this.schema.raw(`CREATE UNIQUE INDEX sepa_mandates_one_active ON sepa_mandates (family_id) WHERE status = 'active'`)
  }

  async down() {
    this.schema.raw('DROP INDEX sepa_mandates_one_active')
    this.schema.dropTable('sepa_mandates')
  }
}

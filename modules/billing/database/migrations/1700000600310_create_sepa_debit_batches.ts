import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * SEPA direct-debit batches (issue 17): one per month, its pain.008 file stored as sent so that
 * a second export gives the same bytes. A line per invoice debited: `invoice_id` unique, so that
 * two exports at the same instant cannot send an invoice twice; end-to-end ids unique.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('sepa_debit_batches', (table) => {
      table.increments('id')
      table.string('month', 7).notNullable().unique()
      table.string('collection_date', 10).notNullable()
      table.string('message_id', 35).notNullable().unique()
      table.integer('transactions_count').notNullable()
      table.bigInteger('control_sum_cents').notNullable()
      table.text('xml').notNullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.check('transactions_count > 0', [], 'sepa_debit_batches_count_check')
      table.check('control_sum_cents > 0', [], 'sepa_debit_batches_sum_check')
    })
    this.schema.createTable('sepa_debit_lines', (table) => {
      table.increments('id')
      table.integer('batch_id').unsigned().notNullable().references('id').inTable('sepa_debit_batches').onDelete('RESTRICT')
      table.integer('invoice_id').unsigned().notNullable().unique().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('mandate_id').unsigned().notNullable().references('id').inTable('sepa_mandates').onDelete('RESTRICT')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.integer('amount_cents').notNullable()
      table.string('sequence', 4).notNullable()
      table.string('end_to_end_id', 35).notNullable().unique()
      table.index(['batch_id'])
      table.index(['mandate_id'])
      table.index(['family_id'])
      table.check('amount_cents > 0', [], 'sepa_debit_lines_amount_check')
      table.check("sequence IN ('FRST', 'RCUR')", [], 'sepa_debit_lines_sequence_check')
    })
  }

  async down() {
    this.schema.dropTable('sepa_debit_lines')
    this.schema.dropTable('sepa_debit_batches')
  }
}

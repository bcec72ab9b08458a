import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Invoices paid by SEPA direct debit (issue 17): an invoice issued while its family has an active
 * mandate keeps that mandate and the debit date announced to the family (pre-notification).
 * Such an invoice cannot be paid by PayFiP while the mandate lasts.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('invoices', (table) => {
      table.integer('debit_mandate_id').unsigned().nullable().references('id').inTable('sepa_mandates').onDelete('RESTRICT')
      table.string('debit_on', 10).nullable()
      table.index(['debit_mandate_id'])
    })
  }

  async down() {
    this.schema.alterTable('invoices', (table) => {
      table.dropIndex(['debit_mandate_id'])
      table.dropForeign(['debit_mandate_id'])
      table.dropColumn('debit_mandate_id')
      table.dropColumn('debit_on')
    })
  }
}

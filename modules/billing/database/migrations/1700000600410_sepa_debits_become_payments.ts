import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A sent debit becomes the invoice's payment on its collection day (issue 17), and a debit the
 * bank rejects afterwards reverses that payment. The line says when it was collected (set once,
 * by a conditional update, so two settlement runs record one payment); the payment keeps the
 * day it was reversed instead of disappearing, so the family's history of payments stays true.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('sepa_debit_lines', (table) => {
      table.string('collected_on', 10).nullable()
    })
    this.schema.alterTable('payments', (table) => {
      table.string('reversed_on', 10).nullable()
    })
  }

  async down() {
    this.schema.alterTable('payments', (table) => {
      table.dropColumn('reversed_on')
    })
    this.schema.alterTable('sepa_debit_lines', (table) => {
      table.dropColumn('collected_on')
    })
  }
}

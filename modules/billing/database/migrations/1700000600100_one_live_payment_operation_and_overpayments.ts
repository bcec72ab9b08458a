import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One live PayFiP operation per invoice (a double click on PAYER opened several), and the
 * money received beyond what an invoice asked for, kept for the staff to refund.
 * Operations left pending side by side by the old code are closed, the newest kept: a late
 * success on a closed one is still recorded (as an overpayment if the invoice is settled).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      `UPDATE payment_operations SET state = 'expired', settled_at = CURRENT_TIMESTAMP
       WHERE state = 'pending' AND id NOT IN (SELECT max(id) FROM payment_operations WHERE state = 'pending' GROUP BY invoice_id)`
    )
    this.schema.raw(`CREATE UNIQUE INDEX payment_operations_one_live ON payment_operations (invoice_id) WHERE state = 'pending'`)

    this.schema.createTable('overpayments', (table) => {
      table.increments('id')
      table.integer('invoice_id').unsigned().notNullable().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.string('method', 12).notNullable()
      table.integer('amount_cents').notNullable()
      table.string('id_op', 64).nullable().unique()
      table.string('received_on', 10).notNullable()
      table.timestamp('refunded_at', { useTz: true }).nullable()
      table.integer('refunded_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('refund_reference', 100).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['invoice_id'])
      table.index(['refunded_at'])
      table.check('amount_cents > 0', [], 'overpayments_amount_check')
    })
  }

  async down() {
    this.schema.dropTable('overpayments')
    this.schema.raw('DROP INDEX payment_operations_one_live')
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Billing: tariffs by activity and period, monthly invoices and their lines, gap-free
 * numbering, credit notes, payments and PayFiP operations.
 * Invoice lines copy the child's and the activity's names: an issued invoice reads the same
 * whatever happens to the activity later.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('billing_tariffs', (table) => {
      table.increments('id')
      table.integer('activity_id').unsigned().notNullable().references('id').inTable('activities').onDelete('CASCADE')
      table.string('valid_from', 10).notNullable()
      table.string('model', 10).notNullable()
      table.string('unit', 10).notNullable()
      table.text('brackets').nullable()
      table.integer('rate').nullable()
      table.integer('floor_cents').nullable()
      table.integer('ceiling_cents').nullable()
      table.integer('non_resident_cents').nullable()
      table.integer('late_surcharge_cents').nullable()
      table.text('sibling_reductions').nullable()
      table.text('regime_adjustments').nullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['activity_id', 'valid_from'])
    })

    this.schema.createTable('invoice_sequences', (table) => {
      table.string('kind', 10).notNullable()
      table.integer('year').notNullable()
      table.integer('last').notNullable().defaultTo(0)
      table.primary(['kind', 'year'])
    })

    this.schema.createTable('invoices', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.string('month', 7).notNullable()
      table.string('number', 20).notNullable().unique()
      table.integer('year').notNullable()
      table.integer('sequence').notNullable()
      table.string('issued_on', 10).notNullable()
      table.string('due_date', 10).notNullable()
      table.integer('total_cents').notNullable()
      table.integer('credited_cents').notNullable().defaultTo(0)
      table.integer('paid_cents').notNullable().defaultTo(0)
      table.string('status', 10).notNullable().defaultTo('open')
      table.integer('family_quotient').nullable()
      table.string('family_name', 200).notNullable()
      table.text('family_address').nullable()
      table.timestamp('paid_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['family_id', 'month'])
      table.unique(['year', 'sequence'])
      table.index(['month'])
      table.index(['status', 'due_date'])
      table.check('credited_cents >= 0 AND paid_cents >= 0 AND credited_cents <= total_cents', [], 'invoices_amounts_check')
    })

    this.schema.createTable('invoice_lines', (table) => {
      table.increments('id')
      table.integer('invoice_id').unsigned().notNullable().references('id').inTable('invoices').onDelete('CASCADE')
      table.integer('position').notNullable()
      table.string('kind', 16).notNullable()
      table.integer('child_id').unsigned().nullable().references('id').inTable('children').onDelete('SET NULL')
      table.string('child_name', 200).nullable()
      table.integer('activity_id').unsigned().nullable().references('id').inTable('activities').onDelete('SET NULL')
      table.string('activity_name', 200).nullable()
      table.string('label', 300).notNullable()
      table.string('unit', 10).nullable()
      table.integer('quantity').notNullable()
      table.integer('unit_price_cents').notNullable()
      table.integer('total_cents').notNullable()
      table.index(['invoice_id'])
    })

    this.schema.createTable('credit_notes', (table) => {
      table.increments('id')
      table.integer('invoice_id').unsigned().notNullable().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.string('number', 20).notNullable().unique()
      table.integer('amount_cents').notNullable()
      table.string('reason', 500).notNullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['invoice_id'])
      table.check('amount_cents > 0', [], 'credit_notes_amount_check')
    })

    this.schema.createTable('payment_operations', (table) => {
      table.increments('id')
      table.integer('invoice_id').unsigned().notNullable().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('provider', 10).notNullable().defaultTo('payfip')
      table.string('id_op', 64).nullable().unique()
      table.string('refdet', 30).notNullable()
      table.integer('amount_cents').notNullable()
      table.string('state', 10).notNullable().defaultTo('pending')
      table.string('result_code', 2).nullable()
      table.string('authorization_number', 40).nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('settled_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['invoice_id', 'state'])
      table.index(['state', 'expires_at'])
    })

    this.schema.createTable('payments', (table) => {
      table.increments('id')
      table.integer('invoice_id').unsigned().notNullable().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('RESTRICT')
      table.string('method', 12).notNullable()
      table.integer('amount_cents').notNullable()
      table.string('id_op', 64).nullable().unique()
      table.string('receipt_number', 40).nullable()
      table.string('paid_on', 10).notNullable()
      table.integer('recorded_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['invoice_id'])
      table.unique(['method', 'receipt_number'])
      table.check('amount_cents > 0', [], 'payments_amount_check')
    })
  }

  async down() {
    for (const name of ['payments', 'payment_operations', 'credit_notes', 'invoice_lines', 'invoices', 'invoice_sequences', 'billing_tariffs']) {
      this.schema.dropTable(name)
    }
  }
}

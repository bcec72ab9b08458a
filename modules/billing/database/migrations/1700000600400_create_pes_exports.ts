import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * PES V2 exports to the Trésor public (issue 17): one row per file, its XML kept so that it can
 * be downloaded again byte for byte. Bordereau numbers (IdBord) and piece numbers (IdPce) are
 * unique per exercise; an invoice or a credit note is carried by one export only (unique
 * invoice_id / credit_note_id): two exports at the same instant cannot both carry it.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('pes_exports', (table) => {
      table.increments('id')
      table.string('month', 7).notNullable()
      table.integer('exercise').notNullable()
      table.integer('bordereau_number').nullable()
      table.integer('reduction_bordereau_number').nullable()
      table.string('file_name', 100).notNullable().unique()
      table.integer('title_count').notNullable()
      table.integer('titles_cents').notNullable()
      table.integer('reduction_count').notNullable().defaultTo(0)
      table.integer('reductions_cents').notNullable().defaultTo(0)
      table.text('xml').notNullable()
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['exercise', 'bordereau_number'])
      table.unique(['exercise', 'reduction_bordereau_number'])
      table.index(['month'])
      table.check('title_count >= 0 AND reduction_count >= 0 AND title_count + reduction_count > 0', [], 'pes_exports_pieces_check')
    })

    this.schema.createTable('pes_export_pieces', (table) => {
      table.increments('id')
      table.integer('pes_export_id').unsigned().notNullable().references('id').inTable('pes_exports').onDelete('CASCADE')
      table.integer('exercise').notNullable()
      table.integer('piece_number').notNullable()
      table.integer('invoice_id').unsigned().nullable().unique().references('id').inTable('invoices').onDelete('RESTRICT')
      table.integer('credit_note_id').unsigned().nullable().unique().references('id').inTable('credit_notes').onDelete('RESTRICT')
      table.integer('amount_cents').notNullable()
      table.unique(['exercise', 'piece_number'])
      table.index(['pes_export_id'])
      table.check('(invoice_id IS NULL) <> (credit_note_id IS NULL)', [], 'pes_export_pieces_one_subject_check')
      table.check('amount_cents > 0', [], 'pes_export_pieces_amount_check')
    })
  }

  async down() {
    this.schema.dropTable('pes_export_pieces')
    this.schema.dropTable('pes_exports')
  }
}

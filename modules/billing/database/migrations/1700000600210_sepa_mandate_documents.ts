import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The signed mandate's PDF, filed in the family's documents (dossier's family_documents, an
 * earlier module's table): the parent's mandate page links to it. Additive; the document stays
 * when the mandate ends (it is the proof of what was authorised). One plain ADD COLUMN on both
 * databases: knex would rebuild the SQLite table for a foreign key (and its partial index with it).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE sepa_mandates ADD COLUMN document_id integer NULL REFERENCES family_documents (id) ON DELETE SET NULL')
  }

  async down() {
    this.schema.alterTable('sepa_mandates', (table) => {
      table.dropColumn('document_id')
    })
  }
}

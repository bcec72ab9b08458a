import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The commune's service running each activity type (« Accueil périscolaire » by the périscolaire
 * service): its agents are the staff of the type's activities (dossier.child-staff-services).
 * Null while no service is chosen; a deleted service leaves its types without one. One plain
 * ADD COLUMN on both databases: knex would rebuild the SQLite table for a foreign key.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE activity_types ADD COLUMN service_id integer NULL REFERENCES services (id) ON DELETE SET NULL')
    this.schema.alterTable('activity_types', (table) => {
      table.index(['service_id'])
    })
  }

  async down() {
    this.schema.alterTable('activity_types', (table) => {
      table.dropIndex(['service_id'])
      table.dropColumn('service_id')
    })
  }
}

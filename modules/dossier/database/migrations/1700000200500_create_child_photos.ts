import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A child's photo on « Mes enfants »: at most one per child, the file private in Drive under
 * `storage_key` (metadata stripped), gone with the child or the family (cascade; the purge
 * deletes the file).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('child_photos', (table) => {
      table.increments('id')
      table.integer('child_id').unsigned().notNullable().unique().references('id').inTable('children').onDelete('CASCADE')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('storage_key', 255).notNullable()
      table.string('mime', 32).notNullable()
      table.integer('width').notNullable()
      table.integer('height').notNullable()
      table.integer('size').notNullable()
      table.integer('uploaded_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['family_id'])
    })
  }

  async down() {
    this.schema.dropTable('child_photos')
  }
}

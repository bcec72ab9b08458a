import { BaseSchema } from '@adonisjs/lucid/schema'

/** The family file: households, guardians, children, authorized persons, documents, history. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('families', (table) => {
      table.increments('id')
      table.string('reference', 40).notNullable().unique()
      table.string('address', 255).nullable()
      table.string('postal_code', 10).nullable()
      table.string('city', 120).nullable()
      table.string('phone', 30).nullable()
      table.string('mobile_phone', 30).nullable()
      table.string('email', 254).nullable()
      table.integer('family_quotient').nullable()
      table.string('quotient_source', 8).nullable()
      table.string('quotient_reference_date', 10).nullable()
      table.string('regime', 8).notNullable().defaultTo('CAF')
      table.boolean('resident').notNullable().defaultTo(true)
      table.timestamp('last_activity_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('guardians', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('civility', 8).nullable()
      table.string('last_name', 120).notNullable()
      table.string('first_name', 120).notNullable()
      table.string('email', 254).nullable()
      table.string('phone', 30).nullable()
      table.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('position').notNullable().defaultTo(1)
      table.unique(['family_id', 'position'])
      table.index(['user_id'])
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('children', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('reference', 40).notNullable()
      table.string('last_name', 120).notNullable()
      table.string('first_name', 120).notNullable()
      table.string('birth_date', 10).notNullable()
      table.string('sex', 1).nullable()
      table.string('school', 160).nullable()
      table.string('class_level', 40).nullable()
      table.text('diet_needs').nullable()
      table.text('allergies').nullable()
      table.boolean('pai').notNullable().defaultTo(false)
      table.integer('pai_document_id').unsigned().nullable()
      table.string('doctor_name', 160).nullable()
      table.string('doctor_phone', 30).nullable()
      table.boolean('vaccinations_up_to_date').notNullable().defaultTo(false)
      table.boolean('image_rights').notNullable().defaultTo(false)
      table.unique(['family_id', 'reference'])
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('authorized_persons', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('last_name', 120).notNullable()
      table.string('first_name', 120).notNullable()
      table.string('phone', 30).notNullable()
      table.string('relationship', 80).nullable()
      table.boolean('may_pick_up').notNullable().defaultTo(true)
      table.boolean('emergency_contact').notNullable().defaultTo(false)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('family_documents', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('child_id').unsigned().nullable().references('id').inTable('children').onDelete('SET NULL')
      table.string('category', 24).notNullable()
      table.string('name', 160).notNullable()
      table.string('storage_key', 255).notNullable()
      table.string('mime', 120).notNullable()
      table.integer('size').notNullable()
      table.string('origin', 8).notNullable().defaultTo('family')
      table.string('state', 10).notNullable().defaultTo('pending')
      table.string('refusal_reason', 500).nullable()
      table.integer('uploaded_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('reviewed_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('reviewed_at', { useTz: true }).nullable()
      table.index(['family_id', 'state'])
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('family_history_entries', (table) => {
      table.bigIncrements('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.string('module', 40).notNullable()
      table.string('kind', 60).notNullable()
      table.text('text').notNullable()
      table.string('link', 255).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['family_id', 'created_at'])
    })
  }

  async down() {
    for (const name of ['family_history_entries', 'family_documents', 'authorized_persons', 'children', 'guardians', 'families']) {
      this.schema.dropTable(name)
    }
  }
}

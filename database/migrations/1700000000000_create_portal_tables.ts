import { BaseSchema } from '@adonisjs/lucid/schema'

/** The core's tables: the commune's identity, its services and topics, sessions, rate limits, audit. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('portal_settings', (table) => {
      table.string('key', 64).primary()
      table.text('value').notNullable()
      table.timestamp('updated_at', { useTz: true })
    })

    this.schema.createTable('services', (table) => {
      table.increments('id')
      table.string('name', 120).notNullable().unique()
      table.string('email', 254).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true })
      table.timestamp('updated_at', { useTz: true })
    })

    this.schema.createTable('service_topics', (table) => {
      table.increments('id')
      table.integer('service_id').unsigned().notNullable().references('id').inTable('services').onDelete('CASCADE')
      table.string('name', 160).notNullable()
      table.integer('position').notNullable().defaultTo(0)
      table.unique(['service_id', 'name'])
      table.timestamp('created_at', { useTz: true })
      table.timestamp('updated_at', { useTz: true })
    })

    this.schema.createTable('sessions', (table) => {
      table.string('id', 255).primary()
      table.string('user_id', 64).nullable().index()
      table.text('data').notNullable()
      table.timestamp('expires_at', { useTz: true }).notNullable().index()
    })

    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })

    this.schema.createTable('audit_logs', (table) => {
      table.bigIncrements('id')
      table.integer('actor_id').nullable().index()
      table.string('actor_name', 200).nullable()
      table.string('action', 80).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 64).nullable()
      table.text('details').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['subject_type', 'subject_id'])
    })
  }

  async down() {
    for (const name of ['audit_logs', 'rate_limits', 'sessions', 'service_topics', 'services', 'portal_settings']) {
      this.schema.dropTable(name)
    }
  }
}

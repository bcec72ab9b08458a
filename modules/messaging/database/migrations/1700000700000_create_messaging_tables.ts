import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Secure messages between families and the commune's services: conversations (one service,
 * one topic), their messages, the attached files, and each account's mail preferences.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('messaging_conversations', (table) => {
      table.increments('id')
      table.integer('family_id').unsigned().notNullable().references('id').inTable('families').onDelete('CASCADE')
      table.integer('service_id').unsigned().notNullable().references('id').inTable('services').onDelete('CASCADE')
      table.integer('topic_id').unsigned().nullable().references('id').inTable('service_topics').onDelete('SET NULL')
      /** The topic's name when the conversation began (a topic may be renamed later). */
      table.string('topic_name', 160).nullable()
      table.string('subject', 200).notNullable()
      /** 'message' (written by the family) or 'notice' (sent by the portal on the service's behalf). */
      table.string('kind', 16).notNullable().defaultTo('message')
      /** What raised a notice ('inscription:validated'...), null for a message. */
      table.string('origin', 60).nullable()
      /** 'open' or 'done' (treated by the service). */
      table.string('status', 8).notNullable().defaultTo('open')
      table.integer('assigned_to').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('last_message_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['family_id', 'last_message_at'])
      table.index(['service_id', 'status', 'last_message_at'])
    })

    this.schema.createTable('messaging_messages', (table) => {
      table.increments('id')
      table
        .integer('conversation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('messaging_conversations')
        .onDelete('CASCADE')
      /** 'family', 'staff' or 'system' (a notice). */
      table.string('author_side', 8).notNullable()
      table.integer('author_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('author_name', 200).nullable()
      table.text('body').notNullable()
      table.boolean('acknowledgement_requested').notNullable().defaultTo(false)
      /** When the other side first read it: the family for staff and system messages, the service for the family's. */
      table.timestamp('read_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['conversation_id', 'created_at'])
      table.index(['author_side', 'read_at'])
    })

    this.schema.createTable('messaging_attachments', (table) => {
      table.increments('id')
      table
        .integer('message_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('messaging_messages')
        .onDelete('CASCADE')
      table.string('storage_key', 255).notNullable()
      table.string('name', 160).notNullable()
      table.string('mime', 120).notNullable()
      table.integer('size').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['message_id'])
    })

    this.schema.createTable('messaging_preferences', (table) => {
      table.integer('user_id').unsigned().notNullable().primary().references('id').inTable('users').onDelete('CASCADE')
      /** A family account: the notices and answers of the services also come by email. */
      table.boolean('email_notices').notNullable().defaultTo(true)
      /** An agent: an email when a family writes to one of their services. */
      table.boolean('email_new_messages').notNullable().defaultTo(true)
      table.timestamp('updated_at', { useTz: true }).nullable()
    })
  }

  async down() {
    for (const name of ['messaging_preferences', 'messaging_attachments', 'messaging_messages', 'messaging_conversations']) {
      this.schema.dropTable(name)
    }
  }
}

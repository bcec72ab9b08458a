import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.string('username', 80).notNullable().unique()
      table.string('email', 254).nullable().unique()
      table.string('full_name', 200).notNullable()
      table.string('password', 255).nullable()
      table.string('role', 16).notNullable().defaultTo('parent')
      table.string('state', 16).notNullable().defaultTo('pending')
      table.string('cgu_version', 32).nullable()
      table.timestamp('cgu_accepted_at', { useTz: true }).nullable()
      table.timestamp('activation_sent_at', { useTz: true }).nullable()
      table.timestamp('activation_expires_at', { useTz: true }).nullable()
      table.timestamp('activated_at', { useTz: true }).nullable()
      table.timestamp('last_login_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })

    this.schema.createTable('user_services', (table) => {
      table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.integer('service_id').unsigned().notNullable().references('id').inTable('services').onDelete('CASCADE')
      table.primary(['user_id', 'service_id'])
    })

    this.schema.createTable('remember_me_tokens', (table) => {
      table.increments('id')
      table.integer('tokenable_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('hash').notNullable().unique()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('account_tokens', (table) => {
      table.increments('id')
      table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('purpose', 24).notNullable()
      table.string('token_hash', 64).notNullable().unique()
      table.string('payload', 254).nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['user_id', 'purpose'])
    })
  }

  async down() {
    this.schema.dropTable('account_tokens')
    this.schema.dropTable('remember_me_tokens')
    this.schema.dropTable('user_services')
    this.schema.dropTable('users')
  }
}

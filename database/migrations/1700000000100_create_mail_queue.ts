import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The mails waiting to leave (#services/mail_queue): written with what announces them, sent after
 * the answer by the web server, tried again when the mail server refuses or does not answer.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('mail_queue', (table) => {
      table.increments('id')
      table.string('to_address', 254).notNullable()
      table.string('subject', 400).notNullable()
      table.string('html_view', 160).notNullable()
      table.string('text_view', 160).notNullable()
      /** The templates' data, as JSON (dates kept as dates). */
      table.text('data').notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at', { useTz: true }).notNullable()
      /** While a process sends it: another one leaves it alone until then. */
      table.timestamp('locked_until', { useTz: true }).nullable()
      /** Given up after the last attempt: kept for the health check and the administrator. */
      table.timestamp('failed_at', { useTz: true }).nullable()
      table.text('last_error').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['failed_at', 'next_attempt_at'])
    })
  }

  async down() {
    this.schema.dropTable('mail_queue')
  }
}

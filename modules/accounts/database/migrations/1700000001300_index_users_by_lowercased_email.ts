import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Accounts are looked up by lowercased email (the family import's account bridge, a guardian's
 * pending account): without this index each look-up scanned every user, 92 ms of a
 * 20,000-family import.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE INDEX users_lower_email_index ON users (lower(email))')
  }

  async down() {
    this.schema.raw('DROP INDEX users_lower_email_index')
  }
}

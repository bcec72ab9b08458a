import { BaseSchema } from '@adonisjs/lucid/schema'

/** Names a remembered device in "Mon compte" ("Firefox sur Android"). */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('remember_me_tokens', (table) => {
      table.string('device_label', 120).nullable()
    })
  }

  async down() {
    this.schema.alterTable('remember_me_tokens', (table) => {
      table.dropColumn('device_label')
    })
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSearchTextTriggers, searchTextTriggers } from '#core/folded_search'

/**
 * What the staff's account search reads: the account's full name, username and email folded
 * (services/user_search.ts), emptied when one of them is set (#core/folded_search).
 */
const COLUMNS = ['full_name', 'username', 'email']

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.text('search_text').nullable()
    })
    for (const sql of searchTextTriggers(this.db.dialect.name, 'users', COLUMNS)) this.schema.raw(sql)
  }

  async down() {
    for (const sql of dropSearchTextTriggers(this.db.dialect.name, 'users')) this.schema.raw(sql)
    this.schema.alterTable('users', (table) => {
      table.dropColumn('search_text')
    })
  }
}

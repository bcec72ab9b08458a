import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSearchTextTriggers, searchTextTriggers } from '#core/folded_search'

/**
 * What the staff's family search reads: one folded text a family (services/family_search.ts).
 * Any write to what it is made of — the family's reference and email, its guardians' and
 * children's names, emails and references — empties it (#core/folded_search).
 */
const FED_BY = [
  { table: 'guardians', key: 'family_id', columns: ['family_id', 'first_name', 'last_name', 'email'] },
  { table: 'children', key: 'family_id', columns: ['family_id', 'first_name', 'last_name', 'reference'] },
]

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('families', (table) => {
      table.text('search_text').nullable()
    })
    for (const sql of searchTextTriggers(this.db.dialect.name, 'families', ['reference', 'email'], FED_BY)) this.schema.raw(sql)
  }

  async down() {
    for (const sql of dropSearchTextTriggers(this.db.dialect.name, 'families', FED_BY)) this.schema.raw(sql)
    this.schema.alterTable('families', (table) => {
      table.dropColumn('search_text')
    })
  }
}

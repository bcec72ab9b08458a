import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What the staff's family search reads: one folded text a family (services/family_search.ts
 * writes it). Any write to what it is made of — the family's reference and email, its guardians'
 * and children's names, emails and references — empties it, by triggers, whoever writes (a
 * parent, the staff, the import, a command): the search writes the emptied ones again before it
 * reads.
 */
const FED_BY: Array<[table: string, columns: string[]]> = [
  ['guardians', ['family_id', 'first_name', 'last_name', 'email']],
  ['children', ['family_id', 'first_name', 'last_name', 'reference']],
]

const STALE = (row: 'NEW' | 'OLD') => `UPDATE families SET search_text = NULL WHERE id = ${row}.family_id AND search_text IS NOT NULL;`

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('families', (table) => {
      table.text('search_text').nullable()
    })
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw(
        'CREATE FUNCTION family_search_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ' +
          `IF TG_OP <> 'DELETE' THEN ${STALE('NEW')} END IF; IF TG_OP <> 'INSERT' THEN ${STALE('OLD')} END IF; RETURN NULL; END $$`
      )
      for (const [table, columns] of FED_BY) {
        this.schema.raw(`CREATE TRIGGER ${table}_family_search AFTER INSERT OR DELETE OR UPDATE OF ${columns.join(', ')} ON ${table} FOR EACH ROW EXECUTE FUNCTION family_search_stale()`)
      }
      this.schema.raw('CREATE FUNCTION families_search_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_text := NULL; RETURN NEW; END $$')
      this.schema.raw('CREATE TRIGGER families_search BEFORE UPDATE OF reference, email ON families FOR EACH ROW EXECUTE FUNCTION families_search_stale()')
      return
    }
    for (const [table, columns] of FED_BY) {
      this.schema.raw(`CREATE TRIGGER ${table}_family_search_insert AFTER INSERT ON ${table} BEGIN ${STALE('NEW')} END`)
      this.schema.raw(`CREATE TRIGGER ${table}_family_search_update AFTER UPDATE OF ${columns.join(', ')} ON ${table} BEGIN ${STALE('NEW')} ${STALE('OLD')} END`)
      this.schema.raw(`CREATE TRIGGER ${table}_family_search_delete AFTER DELETE ON ${table} BEGIN ${STALE('OLD')} END`)
    }
    this.schema.raw('CREATE TRIGGER families_search AFTER UPDATE OF reference, email ON families BEGIN UPDATE families SET search_text = NULL WHERE id = NEW.id; END')
  }

  async down() {
    if (this.db.dialect.name === 'postgres') {
      for (const [table] of FED_BY) this.schema.raw(`DROP TRIGGER IF EXISTS ${table}_family_search ON ${table}`)
      this.schema.raw('DROP TRIGGER IF EXISTS families_search ON families')
      this.schema.raw('DROP FUNCTION IF EXISTS family_search_stale()')
      this.schema.raw('DROP FUNCTION IF EXISTS families_search_stale()')
    } else {
      for (const [table] of FED_BY) for (const event of ['insert', 'update', 'delete']) this.schema.raw(`DROP TRIGGER IF EXISTS ${table}_family_search_${event}`)
      this.schema.raw('DROP TRIGGER IF EXISTS families_search')
    }
    this.schema.alterTable('families', (table) => {
      table.dropColumn('search_text')
    })
  }
}

import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { asciiLetters } from '#core/french'
import { directRead, directWrite, listOf } from '#core/direct_sql'

/*
 * A staff search by name that finds « Élodie » for « elodie », « ELODIE » or « élodie », on both
 * databases (SQLite's lower() folds ASCII letters only), reading one column: a table's
 * `search_text`, its row's searchable texts folded, one a line.
 * - Triggers (searchTextTriggers, in the owning module's migration) empty the text on any write
 *   to what it is made of, whoever writes: the portal, an import, a command, raw SQL.
 * - Before it reads, the search writes the emptied texts again (refresh), ROWS_AT_ONCE a
 *   transaction; on PostgreSQL the rows are locked before what they are made of is read, so a
 *   write committed meanwhile waits, then empties the text again. Rows another transaction holds
 *   (an import's batch) are skipped, not waited for: two lockers in opposite orders would
 *   deadlock. Such a row is written by a later search, once its writer has committed.
 */

/** Rows whose text is written again in one transaction. */
const ROWS_AT_ONCE = 500

/** A text as the search compares it: no accents, no case, its spaces as one. */
export function searchFolded(text: string): string {
  return asciiLetters(text.normalize('NFC')).toLowerCase().replace(/\s+/g, ' ').trim()
}

/** The searchable texts of one row, as one search text (empty ones left out). */
export function searchTextOf(texts: Array<string | null | undefined>): string {
  return texts
    .filter((text): text is string => !!text)
    .map(searchFolded)
    .join('\n')
}

/** A `like` pattern that finds `term` anywhere, its own % and _ taken as they are. */
function containing(term: string) {
  return `%${searchFolded(term).replace(/[%_\\]/g, (char) => '\\' + char)}%`
}

/** Each emptied row's searchable texts (ids given), read inside the refreshing transaction. */
export type TextsOf = (ids: number[], trx: TransactionClientContract) => Promise<Map<number, Array<string | null | undefined>>>

export class FoldedSearch {
  constructor(
    readonly table: string,
    private readonly textsOf: TextsOf
  ) {}

  /** Writes the text of every row a write emptied; how many it wrote. */
  async refresh(): Promise<number> {
    // Most searches find nothing to write: checked outside a transaction (on SQLite, a write
    // transaction would take the database's one write lock for each search).
    if (!(await directRead(`select id from ${this.table} where search_text is null limit 1`)).length) return 0
    let written = 0
    for (;;) {
      const batch = await db.transaction((trx) => this.#refreshSome(trx))
      written += batch
      if (batch < ROWS_AT_ONCE) return written
    }
  }

  /** The condition a row matches `term` by (refresh() first), for `whereRaw(sql, bindings)`. */
  condition(term: string): [sql: string, bindings: string[]] {
    return [`${this.table}.search_text like ? escape '\\'`, [containing(term)]]
  }

  /** The ids of the rows matching `term`, as a subquery for a `whereIn` (refresh() first). */
  idsMatching(term: string) {
    return db
      .from(this.table)
      .whereRaw(...this.condition(term))
      .select('id')
  }

  async #refreshSome(trx: TransactionClientContract): Promise<number> {
    const lock = trx.dialect.name === 'postgres' ? ' for update skip locked' : ''
    const rows = await directRead<{ id: number | string }>(`select id from ${this.table} where search_text is null order by id limit ${ROWS_AT_ONCE}${lock}`, [], trx)
    if (!rows.length) return 0
    const ids = rows.map((row) => Number(row.id))
    const texts = await this.textsOf(ids, trx)
    const written = ids.map((id) => [id, searchTextOf(texts.get(id) ?? [])] as const)
    await directWrite(
      `update ${this.table} set search_text = CASE id ${written.map(() => 'WHEN ? THEN ?').join(' ')} END where id in (?)`,
      [...written.flat(), listOf(ids)],
      trx
    )
    return ids.length
  }
}

/**
 * The triggers that empty `table`'s search text (a migration's up, after the column is added):
 * when its own `columns` are set, and when a row of each `fedBy` table is written (its `key`
 * names the row of `table` it belongs to; `columns` the ones its text is made of).
 */
export function searchTextTriggers(dialect: string, table: string, columns: string[], fedBy: Array<{ table: string; key: string; columns: string[] }> = []) {
  const emptied = (row: 'NEW' | 'OLD', key: string) => `UPDATE ${table} SET search_text = NULL WHERE id = ${row}.${key} AND search_text IS NOT NULL;`
  if (dialect === 'postgres') {
    const statements = [
      `CREATE FUNCTION ${table}_search_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_text := NULL; RETURN NEW; END $$`,
      `CREATE TRIGGER ${table}_search BEFORE UPDATE OF ${columns.join(', ')} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_search_emptied()`,
    ]
    for (const feeder of fedBy) {
      const fn = `${feeder.table}_${table}_search`
      statements.push(
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `IF TG_OP <> 'DELETE' THEN ${emptied('NEW', feeder.key)} END IF; IF TG_OP <> 'INSERT' THEN ${emptied('OLD', feeder.key)} END IF; RETURN NULL; END $$`,
        `CREATE TRIGGER ${fn} AFTER INSERT OR DELETE OR UPDATE OF ${feeder.columns.join(', ')} ON ${feeder.table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`
      )
    }
    return statements
  }
  const statements = [`CREATE TRIGGER ${table}_search AFTER UPDATE OF ${columns.join(', ')} ON ${table} BEGIN UPDATE ${table} SET search_text = NULL WHERE id = NEW.id; END`]
  for (const feeder of fedBy) {
    const name = `${feeder.table}_${table}_search`
    statements.push(
      `CREATE TRIGGER ${name}_insert AFTER INSERT ON ${feeder.table} BEGIN ${emptied('NEW', feeder.key)} END`,
      `CREATE TRIGGER ${name}_update AFTER UPDATE OF ${feeder.columns.join(', ')} ON ${feeder.table} BEGIN ${emptied('NEW', feeder.key)} ${emptied('OLD', feeder.key)} END`,
      `CREATE TRIGGER ${name}_delete AFTER DELETE ON ${feeder.table} BEGIN ${emptied('OLD', feeder.key)} END`
    )
  }
  return statements
}

/** The same migration's down, before the column is dropped. */
export function dropSearchTextTriggers(dialect: string, table: string, fedBy: Array<{ table: string }> = []) {
  if (dialect === 'postgres') {
    return [
      `DROP TRIGGER IF EXISTS ${table}_search ON ${table}`,
      `DROP FUNCTION IF EXISTS ${table}_search_emptied()`,
      ...fedBy.flatMap((feeder) => [`DROP TRIGGER IF EXISTS ${feeder.table}_${table}_search ON ${feeder.table}`, `DROP FUNCTION IF EXISTS ${feeder.table}_${table}_search()`]),
    ]
  }
  return [
    `DROP TRIGGER IF EXISTS ${table}_search`,
    ...fedBy.flatMap((feeder) => ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER IF EXISTS ${feeder.table}_${table}_search_${event}`)),
  ]
}

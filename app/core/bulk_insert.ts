import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { directWrite, directWriteReturning, placeholders, sqliteRunEach } from '#core/direct_sql'

export type InsertRow = Record<string, string | number | boolean | null>

/** PostgreSQL takes at most 65,535 values a statement, SQLite 32,766. */
const VALUES_PER_STATEMENT = 30_000
const ROWS_PER_STATEMENT = 1000
/** Past this many rows, SQLite runs one compiled single-row insert for each (sqliteRunEach). */
const SQLITE_ROWS_ONE_BY_ONE = 200

/**
 * Inserts many rows (same columns in each) on the client's connection (a transaction's, when
 * given one), as statements written for the driver (#core/direct_sql), in the query log:
 * - multi-row `INSERT … VALUES (…), (…)`, up to 1,000 rows a statement;
 * - on SQLite, more than 200 rows (an import's batch) go one by one through a single compiled
 *   statement: in-process there is no round trip to save, and a multi-row insert of each new
 *   length would be compiled again (2 s of a 20,000-family import once went to that).
 * A column missing from a row is inserted as NULL (not its default), as knex does with several rows.
 * With `returning`, gives those columns for every row, in the rows' order.
 */
export async function insertMany(
  client: QueryClientContract,
  table: string,
  rows: InsertRow[],
  returning?: string[]
): Promise<Array<Record<string, any>>> {
  if (!rows.length) return []
  // Every column any row has, as knex does: a column a row lacks is inserted as NULL.
  const names = new Set<string>()
  for (const row of rows) for (const name in row) names.add(name)
  const columns = [...names]
  const head = `insert into "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) values `
  const tail = returning ? ` returning ${returning.map((column) => `"${column}"`).join(', ')}` : ''
  const rowPlaceholders = `(${placeholders(columns.length)})`
  const values = rows.map((row) => columns.map((column) => row[column] ?? null))
  if (client.dialect.name !== 'postgres' && rows.length > SQLITE_ROWS_ONE_BY_ONE) {
    return sqliteRunEach(head + rowPlaceholders + tail, values, client, !!returning)
  }
  const size = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(VALUES_PER_STATEMENT / columns.length)))
  const returned: Array<Record<string, any>> = []
  for (let start = 0; start < values.length; start += size) {
    const slice = values.slice(start, start + size)
    const sql = head + slice.map(() => rowPlaceholders).join(', ') + tail
    if (returning) returned.push(...(await directWriteReturning(sql, slice.flat(), client)))
    else await directWrite(sql, slice.flat(), client)
  }
  return returned
}

/**
 * Inserts the rows a unique key does not already hold (`INSERT … ON CONFLICT (unique) DO
 * NOTHING RETURNING …`) and gives back only those written: what was inserted by this call and
 * by no other process at the same time (a "send once" journal). 100 rows a statement.
 */
export async function insertNew(
  client: QueryClientContract,
  table: string,
  rows: InsertRow[],
  unique: string[],
  returning: string[]
): Promise<Array<Record<string, any>>> {
  const written: Array<Record<string, any>> = []
  for (let start = 0; start < rows.length; start += 100) {
    // knex writes the statement: Lucid drops RETURNING on SQLite, which has it since 3.35
    const statement = client.knexQuery().table(table).insert(rows.slice(start, start + 100), returning).onConflict(unique).ignore().toSQL()
    const result = await client.rawQuery(statement.sql, statement.bindings as any[])
    written.push(...(Array.isArray(result) ? result : result.rows))
  }
  return written
}

import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type BetterSqlite3 from 'better-sqlite3'

export type InsertRow = Record<string, string | number | boolean | null>

/** PostgreSQL takes at most 65,535 parameters per statement. */
const PG_PARAMETERS = 60_000
const PG_ROWS = 1000

/**
 * Inserts many rows (same columns in each) the fastest way each database offers, for imports:
 * - PostgreSQL: multi-row `INSERT … VALUES`, one round trip per 1,000 rows;
 * - SQLite inside a transaction: one prepared single-row INSERT run for every row on the
 *   transaction's own connection. In-process, there is no round trip to save, and knex's
 *   multi-row form (a compound SELECT of up to 500 terms) costs more to prepare than it saves:
 *   2 s of a 20,000-family import went to preparing those statements.
 * These SQLite statements bypass knex, so Lucid's query log does not show them.
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
  if (client.dialect.name.includes('sqlite') && client.isTransaction) {
    const connection: BetterSqlite3.Database = await (client as any).knexClient.client.acquireConnection()
    const quoted = columns.map((column) => `"${column}"`).join(', ')
    const sql = `INSERT INTO "${table}" (${quoted}) VALUES (${columns.map(() => '?').join(', ')})`
    const statement = connection.prepare(returning ? `${sql} RETURNING ${returning.map((column) => `"${column}"`).join(', ')}` : sql)
    const returned: Array<Record<string, any>> = []
    for (const row of rows) {
      const values = columns.map((column) => {
        const value = row[column]
        return typeof value === 'boolean' ? Number(value) : (value ?? null)
      })
      if (returning) returned.push(statement.get(...values) as Record<string, any>)
      else statement.run(...values)
    }
    return returned
  }
  // SQLite outside a transaction: knex's compound SELECT allows 500 terms.
  const maxRows = client.dialect.name.includes('sqlite') ? 500 : PG_ROWS
  const size = Math.max(1, Math.min(maxRows, Math.floor(PG_PARAMETERS / columns.length)))
  const returned: Array<Record<string, any>> = []
  for (let start = 0; start < rows.length; start += size) {
    const slice = rows.slice(start, start + size)
    // knex itself: Lucid drops RETURNING on SQLite, which has it since 3.35.
    if (returning) returned.push(...(await client.knexQuery().table(table).insert(slice).returning(returning)))
    else await client.knexQuery().table(table).insert(slice)
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

import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'

type Binding = string | number | boolean | Date | null
type Knex = { client: { acquireConnection(): Promise<any>; releaseConnection(connection: any): Promise<unknown> | unknown } }

/** Placeholders `?` become PostgreSQL's `$1, $2…`, once per SQL text. */
const pgTexts = new Map<string, string>()

function pgText(sql: string) {
  let text = pgTexts.get(sql)
  if (text === undefined) {
    let index = 0
    text = sql.replace(/\?/g, () => `$${++index}`)
    pgTexts.set(sql, text)
  }
  return text
}

/** As knex gives them to better-sqlite3: dates as milliseconds, booleans as 0 or 1. */
function sqliteBinding(value: Binding) {
  if (value instanceof Date) return value.valueOf()
  if (typeof value === 'boolean') return Number(value)
  return value
}

/** `?, ?, ?` for a list of n values (an `in (…)`; an empty list is the caller's case to avoid). */
export function placeholders(count: number) {
  return Array.from({ length: count }, () => '?').join(', ')
}

/**
 * A statement of the hottest requests (the month planning's reads, a login's stamp), run on the
 * driver's connection taken from knex's pool: the SQL is written once with `?` placeholders, not
 * built and compiled again by the query builder on every request. Measured on the month page:
 * knex's builder, compiler and runner cost about as much again as SQLite's own work for each of
 * its statements. The connection comes from the same pool (SQLite's single connection waits for
 * a transaction in progress, as before; inside a transaction, knex lends the transaction's own);
 * SQLite keeps the compiled statement (database_guard.ts). Lucid's `db:query` event is emitted
 * when the connection is in debug mode, so that query counts and query logs still see it.
 * Column names come back as written in the SQL.
 */
async function run<T>(sql: string, bindings: Binding[], method: 'select' | 'update', onSqlite: (statement: any, values: unknown[]) => T, onPg: (result: any) => T): Promise<T> {
  const queryClient = db.connection()
  const knex = (method === 'select' ? queryClient.getReadClient() : queryClient.getWriteClient()) as unknown as Knex
  const started = process.hrtime()
  const connection = await knex.client.acquireConnection()
  try {
    if (queryClient.dialect.name === 'postgres') return onPg(await connection.query({ text: pgText(sql), values: bindings }))
    return onSqlite(connection.prepare(sql), bindings.map(sqliteBinding))
  } finally {
    await knex.client.releaseConnection(connection)
    if ((queryClient as unknown as { debug: boolean }).debug) {
      emitter.emit('db:query', { connection: queryClient.connectionName, inTransaction: false, method, ddl: false, sql, bindings, duration: process.hrtime(started) } as any)
    }
  }
}

/** The rows of a select. */
export function directRead<Row = Record<string, any>>(sql: string, bindings: Binding[] = []): Promise<Row[]> {
  return run(sql, bindings, 'select', (statement, values) => statement.all(values) as Row[], (result) => result.rows as Row[])
}

/** An update or delete: how many rows it changed. */
export function directWrite(sql: string, bindings: Binding[] = []): Promise<number> {
  return run(sql, bindings, 'update', (statement, values) => statement.run(values).changes as number, (result) => result.rowCount ?? 0)
}

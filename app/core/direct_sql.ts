import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

export type Value = string | number | boolean | Date | null
export type Binding = Value | ValueList

/** The values of an `in (?)`: see `listOf`. */
class ValueList {
  constructor(readonly values: readonly Value[]) {}
}

/**
 * The values of an `in (?)` as one binding: the SQL is written once, `where id in (?)`, whatever
 * the number of values. On SQLite the `?` becomes one placeholder per value. On PostgreSQL the
 * `in (?)` becomes `= any(?)` with one array: a single statement text, so a single named
 * statement, for lists of every length (one name per length would fill the named statements'
 * quota with the baskets' sizes); past 500 values, SQLite reads them as one JSON array. Only
 * `in (?)` takes a list (not `not in`); an empty list matches no row on both databases.
 */
export function listOf(values: readonly (string | number | boolean | null)[]) {
  return new ValueList(values)
}

const LIST_OR_PLACEHOLDER = /\bin \(\?\)|\?/gi
/**
 * On SQLite, a longer list is one JSON binding read by json_each: SQLite takes at most 32,766
 * placeholders a statement, and a statement of each new length is compiled again.
 */
const SQLITE_LIST_PLACEHOLDERS = 500
/** The texts with their lists spelled out: PostgreSQL's per SQL, SQLite's per SQL and lengths. */
const spelledOut = new Map<string, string>()
const SPELLED_OUT_KEPT = 2000

/** `sql` and `bindings` as the driver takes them, when a binding is a list (see `listOf`). */
function withLists(sql: string, bindings: Binding[], onPg: boolean): { sql: string; bindings: Value[] } {
  if (!bindings.some((binding) => binding instanceof ValueList)) return { sql, bindings: bindings as Value[] }
  const values: Value[] = []
  let key = onPg ? `pg:${sql}` : sql
  for (const binding of bindings) {
    if (binding instanceof ValueList) {
      if (onPg) values.push(binding.values as any)
      else if (binding.values.length > SQLITE_LIST_PLACEHOLDERS) {
        values.push(JSON.stringify(binding.values))
        key += '\u0000json'
      } else {
        values.push(...binding.values)
        key += `\u0000${binding.values.length}`
      }
    } else values.push(binding)
  }
  let text = spelledOut.get(key)
  if (text === undefined) {
    let index = 0
    text = sql.replace(LIST_OR_PLACEHOLDER, (match) => {
      const binding = bindings[index++]
      if (!(binding instanceof ValueList)) return match.length === 1 ? '?' : match
      if (match.length === 1) throw new Error(`Une liste de valeurs ne peut remplir que « in (?) » : ${sql}`)
      if (onPg) return '= any(?)'
      return binding.values.length > SQLITE_LIST_PLACEHOLDERS ? 'in (select value from json_each(?))' : `in (${placeholders(binding.values.length)})`
    })
    if (spelledOut.size >= SPELLED_OUT_KEPT) spelledOut.delete(spelledOut.keys().next().value!)
    spelledOut.set(key, text)
  }
  return { sql: text, bindings: values }
}

type Pool = { numUsed(): number; numFree(): number; numPendingAcquires(): number; numPendingCreates(): number }
type Knex = { client: { pool?: Pool; acquireConnection(): Promise<any>; releaseConnection(connection: any): Promise<unknown> | unknown } }

/** How many distinct statements get a name on PostgreSQL (each one is kept by every connection). */
const PG_NAMED_STATEMENTS = 300
/** A statement with more values is a bulk one (see pgStatement). */
const PG_NAMED_MAX_VALUES = 100

type PgStatement = { text: string; name: string | undefined }
const pgStatements = new Map<string, PgStatement>()

/**
 * On PostgreSQL, the `?` placeholders become `$1, $2…`, and the statement gets a name: each
 * connection then parses and plans it once, not at every call. Measured on this machine, a
 * four-table join of the month page: 440–460 µs of the PostgreSQL server's CPU per call without
 * a name, 150–160 µs with one (and 240–320 → 180–215 µs in the app's process).
 */
function pgStatement(sql: string): PgStatement {
  let statement = pgStatements.get(sql)
  if (!statement) {
    let index = 0
    const text = sql.replace(/\?/g, () => `$${++index}`)
    // A bulk statement (a multi-row insert) changes text with its row count: neither named nor kept.
    if (index > PG_NAMED_MAX_VALUES) return { text, name: undefined }
    statement = { text, name: pgStatements.size < PG_NAMED_STATEMENTS ? `portal_direct_${pgStatements.size + 1}` : undefined }
    pgStatements.set(sql, statement)
  }
  return statement
}

/** cached plan must not change result type (a `select *` whose table changed); prepared statement does not exist. */
const STALE_PREPARED_STATEMENT = new Set(['0A000', '26000'])

/**
 * A named statement whose table changed under a running app (a migration) fails once on each
 * connection: outside a transaction, it is forgotten there and the call runs again without a name.
 */
async function pgQuery(connection: any, sql: string, values: unknown[], inTransaction: boolean) {
  const { text, name } = pgStatement(sql)
  if (!name) return connection.query({ text, values })
  try {
    return await connection.query({ name, text, values })
  } catch (error) {
    if (inTransaction || !STALE_PREPARED_STATEMENT.has((error as { code?: string }).code ?? '')) throw error
    delete connection.connection?.parsedStatements?.[name]
    await connection.query(`DEALLOCATE ${name}`).catch(() => {})
    return connection.query({ text, values })
  }
}

/** As knex gives them to better-sqlite3: dates as milliseconds, booleans as 0 or 1. */
function sqliteBinding(value: Value) {
  if (value instanceof Date) return value.valueOf()
  if (typeof value === 'boolean') return Number(value)
  return value
}

/** The SQLite connection each knex client last gave back to its pool (see idleSqliteConnection). */
const releasedSqliteConnections = new WeakMap<object, { open: boolean }>()

/**
 * SQLite's pool holds one connection (knex's default for SQLite). When nobody holds it and nobody
 * waits for it (no transaction, no query in progress), a statement outside a transaction runs on
 * it at once: better-sqlite3 runs it synchronously, so nothing can take the connection in between,
 * which is all that acquiring it would guarantee. The pool's hand-off costs, at each statement, a
 * pending operation, promises and an acquire-timeout timer: about 6 % of all the memory the
 * server allocated during the rush, for some 30 statements a parent's journey.
 * The connection is the one this client last released, still open: with one connection in the
 * pool, that is the free one (a connection the pool destroyed is closed).
 */
function idleSqliteConnection(knex: Knex) {
  const pool = knex.client.pool
  const connection = releasedSqliteConnections.get(knex.client)
  if (!pool || !connection?.open) return null
  if (pool.numUsed() !== 0 || pool.numFree() !== 1 || pool.numPendingAcquires() !== 0 || pool.numPendingCreates() !== 0) return null
  return connection
}

/** `?, ?, ?` for n values (a multi-row insert's row; an `in (…)` takes `listOf`). */
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
 * SQLite keeps the compiled statement (database_guard.ts), PostgreSQL a named one (pgStatement).
 * Lucid's `db:query` event is emitted when the connection is in debug mode, so that query counts
 * and query logs still see it.
 * `client`: a transaction's client (`db.transaction`), whose connection the statement then runs
 * on, as the transaction's own queries do; by default, the app's connection.
 * Column names come back as written in the SQL.
 */
async function run<T>(
  written: string,
  given: Binding[],
  method: 'select' | 'update',
  client: QueryClientContract | undefined,
  onSqlite: (statement: any, values: unknown[]) => T,
  onPg: (result: any) => T
): Promise<T> {
  const queryClient = client ?? db.connection()
  if ((queryClient as { isCompleted?: boolean }).isCompleted) throw new Error(`Transaction déjà terminée : ${written}`)
  const knex = (method === 'select' ? queryClient.getReadClient() : queryClient.getWriteClient()) as unknown as Knex
  const started = process.hrtime()
  const { sql, bindings } = withLists(written, given, queryClient.dialect.name === 'postgres')
  const onSqliteOutsideTransaction = queryClient.dialect.name !== 'postgres' && !queryClient.isTransaction
  const idle = onSqliteOutsideTransaction ? idleSqliteConnection(knex) : null
  const connection = idle ?? (await knex.client.acquireConnection())
  try {
    if (queryClient.dialect.name === 'postgres') return onPg(await pgQuery(connection, sql, bindings, queryClient.isTransaction))
    return onSqlite(connection.prepare(sql), bindings.map(sqliteBinding))
  } finally {
    if (!idle) {
      await knex.client.releaseConnection(connection)
      if (onSqliteOutsideTransaction) releasedSqliteConnections.set(knex.client, connection)
    }
    if ((queryClient as unknown as { debug: boolean }).debug) {
      emitter.emit('db:query', { connection: queryClient.connectionName, inTransaction: queryClient.isTransaction, method, ddl: false, sql, bindings, duration: process.hrtime(started) } as any)
    }
  }
}

const allRows = (statement: any, values: unknown[]) => statement.all(values)
const resultRows = (result: any) => result.rows

/** The rows of a select. */
export function directRead<Row = Record<string, any>>(sql: string, bindings: Binding[] = [], client?: QueryClientContract): Promise<Row[]> {
  return run(sql, bindings, 'select', client, allRows, resultRows)
}

/** The rows of a select as models of `model`, hydrated as its own queries would (columns, `$extras`). */
export async function directModels<Model extends LucidModel>(
  model: Model,
  sql: string,
  bindings: Binding[] = [],
  client?: QueryClientContract
): Promise<InstanceType<Model>[]> {
  return (await directRead(sql, bindings, client)).map((row) => model.$createFromAdapterResult(row) as InstanceType<Model>)
}

/** The first row of a select as a model of `model`, or null. */
export async function directModel<Model extends LucidModel>(
  model: Model,
  sql: string,
  bindings: Binding[] = [],
  client?: QueryClientContract
): Promise<InstanceType<Model> | null> {
  return (await directModels(model, sql, bindings, client))[0] ?? null
}

/** An insert, update or delete: how many rows it changed. */
export function directWrite(sql: string, bindings: Binding[] = [], client?: QueryClientContract): Promise<number> {
  return run(sql, bindings, 'update', client, (statement, values) => statement.run(values).changes as number, (result) => result.rowCount ?? 0)
}

/**
 * SQLite only: one statement, compiled once, run for each set of values on one connection, and
 * the rows each run returned (with `returning …`): a bulk insert's rows one by one. In-process
 * there is no round trip to save, and a multi-row insert of a new length would be compiled again.
 * The query log sees it once.
 */
export function sqliteRunEach<Row = Record<string, any>>(
  sql: string,
  valueSets: Value[][],
  client: QueryClientContract,
  returning: boolean
): Promise<Row[]> {
  if (client.dialect.name === 'postgres') throw new Error(`sqliteRunEach sur PostgreSQL : ${sql}`)
  return run(
    sql,
    [],
    'update',
    client,
    (statement) => {
      const rows: Row[] = []
      for (const values of valueSets) {
        if (returning) rows.push(statement.get(values.map(sqliteBinding)))
        else statement.run(values.map(sqliteBinding))
      }
      return rows
    },
    () => []
  )
}

/** An insert, update or delete with `returning …` (SQLite has it since 3.35): the rows it returned. */
export function directWriteReturning<Row = Record<string, any>>(sql: string, bindings: Binding[] = [], client?: QueryClientContract): Promise<Row[]> {
  return run(sql, bindings, 'update', client, allRows, resultRows)
}

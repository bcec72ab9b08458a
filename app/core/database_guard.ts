import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import type BetterSqlite3 from 'better-sqlite3'

/**
 * How the portal lives with a busy or hung database: bounded waits, SQLite write
 * transactions that take the write lock up front, long writers that let others through,
 * and the errors that mean "the database is unavailable, try again" rather than a bug.
 */

type Done = (error: Error | null, connection: any) => void
const require = createRequire(import.meta.url)

/**
 * knex begins every SQLite transaction with a plain (deferred) `BEGIN`: a transaction that
 * reads then writes fails at once with SQLITE_BUSY_SNAPSHOT when another process wrote in
 * between, whatever the busy_timeout. `BEGIN IMMEDIATE` takes the write lock first, waiting
 * for it up to busy_timeout; savepoints (nested transactions) are untouched. It is sent through
 * the transaction's client directly: knex's own `begin` swallows a failed BEGIN and hands out a
 * dead transaction ("Transaction query already complete") instead of the SQLITE_BUSY error.
 */
export function beginSqliteTransactionsImmediately() {
  const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js')
  SqliteTransaction.prototype.begin = function (this: any, connection: unknown) {
    return this.trxClient.query(connection, 'BEGIN IMMEDIATE;')
  }
}

/** SQLite connection set-up: the pragmas, and how long a statement waits for a lock. */
export function prepareSqliteConnection(busyTimeoutMs: number) {
  return (connection: BetterSqlite3.Database, done: Done) => {
    connection.pragma('foreign_keys = ON')
    connection.pragma('journal_mode = WAL')
    connection.pragma('synchronous = NORMAL')
    connection.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`)
    keepPreparedStatements(connection)
    done(null, connection)
  }
}

/** How many distinct SQL texts one SQLite connection keeps compiled. */
const STATEMENT_CACHE_SIZE = 500

/**
 * knex prepares every query's SQL again on each call; on SQLite, compiling a statement costs
 * more than running it (a page's few queries spent most of their time there). The connection
 * keeps its compiled statements, the most recently used ones first; SQLite recompiles a kept
 * statement by itself when the schema changes.
 */
function keepPreparedStatements(connection: BetterSqlite3.Database) {
  const prepare = connection.prepare.bind(connection)
  const statements = new Map<string, BetterSqlite3.Statement>()
  connection.prepare = ((sql: string) => {
    let statement = statements.get(sql)
    if (statement) {
      statements.delete(sql)
    } else {
      statement = prepare(sql)
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
    }
    statements.set(sql, statement)
    return statement
  }) as BetterSqlite3.Database['prepare']
}

/**
 * PostgreSQL connection set-up: a query whose answer never came (query_timeout) leaves its
 * connection waiting on a dead socket; it is marked so that the pool destroys it instead of
 * lending it again.
 */
export function preparePgConnection(connection: any, done: Done) {
  const query = connection.query.bind(connection)
  connection.query = (config: unknown, ...rest: any[]) => {
    const callback = rest[rest.length - 1]
    if (typeof callback !== 'function') return query(config, ...rest)
    rest[rest.length - 1] = (error: Error | null, result: unknown) => {
      if (error?.message === 'Query read timeout') connection.__knex__disposed = error
      callback(error, result)
    }
    return query(config, ...rest)
  }
  done(null, connection)
}

const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/
/** PostgreSQL: statement or lock timeout, server shutting down or starting, too many connections. */
const PG_UNAVAILABLE = new Set(['57014', '55P03', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006'])
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND'])
// node-postgres' own errors, whose message knex prefixes with the SQL ("select ... - Query read timeout").
const PG_CLIENT_MESSAGES = /(^|- )(Query read timeout|timeout expired|Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable)$/

/** True when the error says the database is busy, hung or unreachable (try again later), not that the request is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: any = error, depth = 0; current && depth < 4; current = current.cause, depth++) {
    if (current.name === 'KnexTimeoutError') return true
    const code = typeof current.code === 'string' ? current.code : ''
    if (SQLITE_BUSY.test(code) || PG_UNAVAILABLE.has(code) || NETWORK.has(code)) return true
    if (typeof current.message === 'string' && PG_CLIENT_MESSAGES.test(current.message)) return true
  }
  return false
}

export function isSqliteBusy(error: unknown) {
  return SQLITE_BUSY.test(String((error as any)?.code ?? ''))
}

/**
 * For long writers (imports, invoicing): runs one unit of work, retried a few times when the
 * database stays busy beyond its timeout, so that the run waits instead of aborting.
 */
export async function retryWhenBusy<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= attempts || !isDatabaseUnavailable(error)) throw error
      await sleep(250 * attempt)
    }
  }
}

/**
 * Between two write batches on SQLite: leaves the write lock free so the app's requests
 * waiting on busy_timeout get their turn. SQLite's busy handler sleeps between its tries, longer
 * and longer (SQLITE_BUSY_DELAYS_MS): a writer that begins again at once would starve them. A
 * request that started waiting when the batch took the lock has waited `heldMs`, and tries again
 * at most busyPollGap(heldMs) later; one that came later, sooner: a pause that long (and 5 ms for
 * the timers) lets every one of them in. A fixed 100 ms pause, as before, cost a 20,000-family
 * import a quarter of its time for batches of ~150 ms, where 55 ms do the same.
 */
export async function yieldWriteLock(dialect: string, heldMs: number) {
  if (!dialect.includes('sqlite')) return
  await sleep(busyPollGap(heldMs) + 5)
}

/** SQLite's default busy handler (built with usleep): its sleeps between two tries, in order, then 100 ms each. */
const SQLITE_BUSY_DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]

/** The longest a writer that has waited `waitedMs` on busy_timeout sleeps before it tries again. */
export function busyPollGap(waitedMs: number): number {
  let slept = 0
  for (const delay of SQLITE_BUSY_DELAYS_MS) {
    if (waitedMs < slept + delay) return delay
    slept += delay
  }
  return SQLITE_BUSY_DELAYS_MS[SQLITE_BUSY_DELAYS_MS.length - 1]
}

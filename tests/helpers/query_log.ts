import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'

/**
 * The SQL statements Lucid runs while `work` runs (HTTP requests served in-process included).
 * Lucid reports a query only when its client has `debug` on: it is switched on for the
 * duration, on the connection's config (new clients) and on the current client (the test's
 * global transaction, whose nested transactions inherit it).
 */
export async function queriesDuring(work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = []
  const listener = (query: { sql: string }) => statements.push(query.sql)
  const config = db.getRawConnection(db.primaryConnectionName)!.connection!.config
  const client = db.connection() as unknown as { debug: boolean }
  const before = { config: config.debug, client: client.debug }
  config.debug = true
  client.debug = true
  emitter.on('db:query', listener)
  try {
    await work()
  } finally {
    emitter.off('db:query', listener)
    config.debug = before.config
    client.debug = before.client
  }
  return statements
}

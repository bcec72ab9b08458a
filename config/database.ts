import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { defineConfig } from '@adonisjs/lucid'
import { migrationPaths } from '#core/module_catalog'
import { dataPaths } from '#core/project_paths'
import { beginSqliteTransactionsImmediately, preparePgConnection, prepareSqliteConnection } from '#core/database_guard'

const sqlitePath = dataPaths(app.appRoot, (name) => env.get(name)).sqlite
if (env.get('DB_CONNECTION', 'sqlite') === 'sqlite') mkdirSync(dirname(sqlitePath), { recursive: true })

// A web request waits a few seconds for the database (a connection, a lock, a statement), then
// gets the "réessayez" page; Ace commands (imports, invoicing, migrations) may wait much longer.
const isCommand = ['console', 'repl'].includes(app.getEnvironment())
const timeoutMs = 1000 * (isCommand ? env.get('DB_COMMAND_TIMEOUT', 600) : env.get('DB_TIMEOUT', 5))
// Waiting for a free connection is not a sign of a hung database (the timeouts above free every
// connection within timeoutMs): a burst of requests may queue longer behind a healthy, busy pool.
const acquireTimeoutMillis = 6 * timeoutMs
// node-postgres options (knex forwards them; Lucid's types do not list them). The server ends a
// statement or a lock wait past the timeout; the client gives up on a silent server a bit later.
const pgTimeouts = { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, lock_timeout: timeoutMs, query_timeout: timeoutMs + 2000 }

beginSqliteTransactionsImmediately()

// In an Ace command a database that cannot be reached is told once, as a French sentence
// (app/core/command_failure.ts): knex's own warning, stack included, would come before it.
const knexLog = isCommand
  ? {
      log: {
        warn: (message: unknown) => logger.debug({ knex: String(message) }, 'knex warning'),
        error: (message: unknown) => logger.debug({ knex: String(message) }, 'knex error'),
        deprecate: (method: unknown, alternative: unknown) => logger.debug(`knex: ${method} is deprecated, use ${alternative}`),
        debug: (message: unknown) => logger.debug({ knex: message }, 'knex debug'),
      },
    }
  : {}

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  prettyPrintDebugQueries: false,
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      ...knexLog,
      connection: { filename: sqlitePath },
      useNullAsDefault: true,
      pool: { afterCreate: prepareSqliteConnection(timeoutMs), acquireTimeoutMillis },
      migrations: { naturalSort: true, paths: migrationPaths() },
      seeders: { paths: ['./database/seeders'] },
    },
    pg: {
      client: 'pg',
      ...knexLog,
      connection: {
        host: env.get('DB_HOST', '127.0.0.1'),
        port: env.get('DB_PORT', 5432),
        user: env.get('DB_USER', 'postgres'),
        password: env.get('DB_PASSWORD', ''),
        database: env.get('DB_DATABASE', 'portail_famille'),
        ...pgTimeouts,
      },
      pool: { min: 0, max: 10, afterCreate: preparePgConnection, acquireTimeoutMillis },
      migrations: { naturalSort: true, paths: migrationPaths() },
      seeders: { paths: ['./database/seeders'] },
    },
  },
})

export default dbConfig

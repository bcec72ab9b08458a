import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { migrationPaths } from '#core/module_catalog'

const sqlitePath = app.makePath(env.get('SQLITE_PATH') ?? app.tmpPath('portail.sqlite3'))
if (env.get('DB_CONNECTION', 'sqlite') === 'sqlite') mkdirSync(dirname(sqlitePath), { recursive: true })

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  prettyPrintDebugQueries: false,
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: sqlitePath },
      useNullAsDefault: true,
      pool: {
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.pragma('foreign_keys = ON')
          conn.pragma('journal_mode = WAL')
          conn.pragma('synchronous = NORMAL')
          conn.pragma('busy_timeout = 5000')
          done(null, conn)
        },
      },
      migrations: { naturalSort: true, paths: migrationPaths() },
      seeders: { paths: ['./database/seeders'] },
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('DB_HOST', '127.0.0.1'),
        port: env.get('DB_PORT', 5432),
        user: env.get('DB_USER', 'postgres'),
        password: env.get('DB_PASSWORD', ''),
        database: env.get('DB_DATABASE', 'portail_famille'),
      },
      pool: { min: 0, max: 10 },
      migrations: { naturalSort: true, paths: migrationPaths() },
      seeders: { paths: ['./database/seeders'] },
    },
  },
})

export default dbConfig

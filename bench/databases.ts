/*
 * One fresh migrated database per part of the run (the HTTP baselines, then each module
 * scenario), so no scenario sees another's rows. Migrations run once, into a template:
 *   SQLite: tmp/bench-db/template.sqlite3, copied to tmp/bench-db/<name>.sqlite3;
 *   PostgreSQL (--pg): <prefix>_template, then CREATE DATABASE <prefix>_<name> TEMPLATE it
 *   (prefix: BENCH_PG_PREFIX, default pf_bench; databases of a previous run are dropped).
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { ROOT, run } from './servers.js'
import type { BenchDatabase } from './types.js'

export interface FreshDatabase {
  database: BenchDatabase
  /** The variables that point the app, `node ace` and the scenario's processes at it. */
  env: NodeJS.ProcessEnv
  drop(): Promise<void>
}

export interface DatabaseKind {
  kind: BenchDatabase['kind']
  /** Where the databases live, for the run's header. */
  describe(): string
  /** Migrates the template (once per run). */
  prepare(baseEnv: NodeJS.ProcessEnv): Promise<void>
  fresh(name: string): Promise<FreshDatabase>
  /** Drops the template. */
  cleanup(): Promise<void>
}

// Accents dropped (« ruée » → ruee); short enough for PostgreSQL's 63-byte names.
const slug = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40)

export function sqliteDatabases(): DatabaseKind {
  const folder = 'tmp/bench-db'
  const remove = (relative: string) => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, relative + suffix), { force: true })
  }
  const template = `${folder}/template.sqlite3`
  return {
    kind: 'sqlite',
    describe: () => `SQLite, une copie de ${template} par scénario`,
    async prepare(baseEnv) {
      rmSync(join(ROOT, folder), { recursive: true, force: true })
      mkdirSync(join(ROOT, folder), { recursive: true })
      await run(['ace', 'migration:run', '--force'], { ...baseEnv, DB_CONNECTION: 'sqlite', SQLITE_PATH: template })
      // Everything in the main file before it is copied (WAL mode keeps recent pages aside).
      const db = new Database(join(ROOT, template))
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    },
    async fresh(name) {
      // An absolute path: the built app's root is build/, the sources' is the project.
      const relative = `${folder}/${slug(name)}.sqlite3`
      remove(relative)
      copyFileSync(join(ROOT, template), join(ROOT, relative))
      return {
        database: { kind: 'sqlite', path: join(ROOT, relative) },
        env: { DB_CONNECTION: 'sqlite', SQLITE_PATH: join(ROOT, relative) },
        drop: async () => remove(relative),
      }
    },
    async cleanup() {
      remove(template)
    },
  }
}

export function pgDatabases(): DatabaseKind {
  const connection = {
    host: process.env.DB_HOST || '127.0.0.1',
    port: Number(process.env.DB_PORT) || 5432,
    user: process.env.DB_USER || 'postgres',
    password: process.env.DB_PASSWORD ?? '',
  }
  const prefix = slug(process.env.BENCH_PG_PREFIX || 'pf_bench')
  const template = `${prefix}_template`
  const envFor = (database: string) => ({
    DB_CONNECTION: 'pg',
    DB_HOST: connection.host,
    DB_PORT: String(connection.port),
    DB_USER: connection.user,
    DB_PASSWORD: connection.password,
    DB_DATABASE: database,
  })
  async function admin(statements: string[]) {
    const client = new pg.Client({ ...connection, database: 'postgres' })
    await client.connect()
    try {
      for (const statement of statements) await client.query(statement)
    } finally {
      await client.end()
    }
  }
  const dropStatement = (name: string) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`
  return {
    kind: 'pg',
    describe: () => `PostgreSQL ${connection.host}:${connection.port}, une base ${prefix}_<scénario> par scénario (modèle ${template}), sessions et limiteur dans Redis`,
    async prepare(baseEnv) {
      const client = new pg.Client({ ...connection, database: 'postgres' })
      await client.connect()
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix.replace(/_/g, '\\_')}\\_%`])
      await client.end()
      await admin([...rows.map((row) => dropStatement(row.datname)), `CREATE DATABASE "${template}"`])
      await run(['ace', 'migration:run', '--force'], { ...baseEnv, ...envFor(template) })
    },
    async fresh(name) {
      const database = `${prefix}_${slug(name)}`
      await admin([dropStatement(database), `CREATE DATABASE "${database}" TEMPLATE "${template}"`])
      return {
        database: { kind: 'pg', connection: { ...connection, database } },
        env: envFor(database),
        drop: () => admin([dropStatement(database)]),
      }
    },
    async cleanup() {
      await admin([dropStatement(template)])
    },
  }
}

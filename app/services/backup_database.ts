import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { isDatabaseUnavailable } from '#core/database_guard'

/**
 * The database half of a backup: a consistent copy of the whole database while the portal
 * runs (SQLite's online backup, or pg_dump in a snapshot), the row count of every table, and
 * putting such a copy back.
 */

export type DatabaseKind = 'sqlite' | 'pg'

/** A refusal or failure told to the administrator in one French sentence. */
export class BackupError extends Error {}

export function databaseKind(connectionName: string): DatabaseKind {
  const client = db.manager.get(connectionName)?.config.client
  if (client === 'better-sqlite3' || client === 'sqlite3') return 'sqlite'
  if (client === 'pg' || client === 'postgres') return 'pg'
  throw new BackupError(`La connexion « ${connectionName} » n'est ni SQLite ni PostgreSQL : la sauvegarde ne sait pas la copier.`)
}

function sqliteFile(connectionName: string): string {
  return (db.manager.get(connectionName)!.config.connection as { filename: string }).filename
}

export async function tableNames(client: QueryClientContract, kind: DatabaseKind): Promise<string[]> {
  const rows =
    kind === 'sqlite'
      ? await client.rawQuery("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      : await client.rawQuery('select tablename as name from pg_tables where schemaname = current_schema() order by tablename')
  const list: { name: string }[] = kind === 'sqlite' ? rows : rows.rows
  return list.map((row) => row.name)
}

export async function rowCounts(client: QueryClientContract, kind: DatabaseKind): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of await tableNames(client, kind)) {
    const [row] = await client.from(table).count('* as total')
    counts[table] = Number(row.total)
  }
  return counts
}

/** How many families the database holds (0 when it has no such table yet). */
export async function familyCount(connectionName: string): Promise<number> {
  const client = db.connection(connectionName)
  const kind = databaseKind(connectionName)
  if (kind === 'sqlite' && !existsSync(sqliteFile(connectionName))) return 0
  if (!(await tableNames(client, kind)).includes('families')) return 0
  const [row] = await client.from('families').count('* as total')
  return Number(row.total)
}

/** The row counts of a fresh SQLite copy, left as one self-contained file (no -wal beside it). */
function sqliteCounts(file: string): Record<string, number> {
  const snapshot = new Database(file, { fileMustExist: true })
  try {
    snapshot.pragma('journal_mode = DELETE')
    const counts: Record<string, number> = {}
    const tables = snapshot.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]
    for (const { name } of tables) counts[name] = (snapshot.prepare(`select count(*) as total from "${name.replace(/"/g, '""')}"`).get() as { total: number }).total
    return counts
  } finally {
    snapshot.close()
  }
}

interface PgParams {
  host?: string
  port?: number
  user?: string
  password?: string
  database?: string
}

function pgEnvironment(connectionName: string) {
  const params = db.manager.get(connectionName)!.config.connection as PgParams
  return {
    ...process.env,
    PGHOST: params.host ?? '127.0.0.1',
    PGPORT: String(params.port ?? 5432),
    PGUSER: params.user ?? 'postgres',
    PGPASSWORD: params.password ?? '',
    PGDATABASE: params.database ?? '',
  }
}

/** Runs pg_dump or pg_restore; a missing tool or a failure becomes one French sentence. */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let errors = ''
    child.stderr.on('data', (chunk) => (errors += chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${tool} est introuvable : installez les outils clients de PostgreSQL (paquet postgresql-client, de la même version que le serveur) puis recommencez.`
            : `${tool} n'a pas pu être lancé (${error.message}).`
        )
      )
    })
    child.on('close', (code) => {
      if (code === 0) return resolve()
      if (/version mismatch/.test(errors)) {
        const detail = /server version: ([\d.]+); \S+ version: ([\d.]+)/.exec(errors)
        return reject(
          new BackupError(
            `${tool} est plus ancien que le serveur PostgreSQL${detail ? ` (${detail[2]} contre ${detail[1]})` : ''} : installez les outils clients de la même version que le serveur puis recommencez.`
          )
        )
      }
      const reason = errors.trim().split('\n').find((line) => line.includes('error')) ?? errors.trim().split('\n')[0] ?? ''
      reject(new BackupError(`${tool} a échoué (code ${code}) : ${reason.replace(/^\S+: (error: )?/, '').trim() || 'aucun message'}.`))
    })
  })
}

/**
 * Copies the database into `file` while the portal keeps running; returns the row counts of
 * that very copy.
 */
export async function dumpDatabase(connectionName: string, file: string): Promise<Record<string, number>> {
  const kind = databaseKind(connectionName)
  if (kind === 'sqlite') {
    if (!existsSync(sqliteFile(connectionName))) {
      throw new BackupError(`La base SQLite « ${sqliteFile(connectionName)} » n'existe pas : vérifiez SQLITE_PATH, rien n'a été sauvegardé.`)
    }
    const source = new Database(sqliteFile(connectionName), { fileMustExist: true })
    try {
      source.pragma('busy_timeout = 10000')
      await source.backup(file)
    } finally {
      source.close()
    }
    return sqliteCounts(file)
  }
  // The counts and pg_dump read the same snapshot: what the archive says it holds, it holds.
  const trx = await db.connection(connectionName).transaction()
  try {
    await trx.rawQuery('set transaction isolation level repeatable read, read only')
    const snapshot = (await trx.rawQuery('select pg_export_snapshot() as id')).rows[0].id as string
    const counts = await rowCounts(trx, 'pg')
    await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${file}`], pgEnvironment(connectionName))
    return counts
  } finally {
    await trx.rollback()
  }
}

/** Puts a copy made by dumpDatabase back, in place of the connection's whole database. */
export async function loadDatabase(connectionName: string, kind: DatabaseKind, file: string) {
  if (kind === 'sqlite') {
    // Lucid's connection is closed first; SQLite's backup then replaces the target in one transaction.
    await db.manager.close(connectionName)
    const snapshot = new Database(file, { readonly: true, fileMustExist: true })
    try {
      await snapshot.backup(sqliteFile(connectionName))
    } finally {
      snapshot.close()
    }
    return
  }
  await runPgTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${pgEnvironment(connectionName).PGDATABASE}`, file],
    pgEnvironment(connectionName)
  )
}

/** The one sentence a command prints for a failure: its own, or a generic one without a stack. */
export function reportBackupFailure(error: unknown, what: 'La sauvegarde' | 'La restauration'): string {
  if (error instanceof BackupError) return error.message
  let code: string | undefined
  for (let current: any = error, depth = 0; current && !code && depth < 4; current = current.cause, depth++) code = current.code
  if (code === '3D000') return `${what} a échoué : la base PostgreSQL configurée (DB_DATABASE) n'existe pas, créez-la d'abord.`
  if (code === '42P01' || code === 'SQLITE_ERROR') return `${what} a échoué : la base n'a pas encore ses tables, lancez d'abord « node ace migration:run --force ».`
  if (isDatabaseUnavailable(error)) return `${what} a échoué : la base de données ne répond pas, vérifiez qu'elle est démarrée et la configuration DB_* puis recommencez.`
  const message = String((error as Error)?.message ?? error).split('\n')[0]
  return `${what} a échoué : ${message.replace(/[.\s]+$/, '')}.`
}

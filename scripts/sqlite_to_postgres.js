// Moves a portal's data from its SQLite file to an empty PostgreSQL database (docs/PRODUCTION.md).
//
//   node scripts/sqlite_to_postgres.js <file.sqlite3>
//
// PostgreSQL is the one of the environment or the .env (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
// DB_DATABASE), its tables created beforehand by `migration:run` from the same version of the
// portal. Everything is copied in one transaction (nothing is written if one row fails), tables
// in the order of their foreign keys, booleans and instants converted, sequences moved past the
// copied ids; then the row counts of both databases are compared. The SQLite file is only read.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import pg from 'pg'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const BATCH = 500

function fail(sentence) {
  process.stderr.write(`${sentence}\n`)
  process.exit(1)
}

/** The .env of the project root (or ENV_PATH), under the variables already set. */
function environment() {
  const file = join(process.env.ENV_PATH ?? ROOT, '.env')
  const values = {}
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line)
      if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
    }
  }
  return { ...values, ...process.env }
}

/** Tables ordered so that each comes after the tables its foreign keys point to. */
function byForeignKeys(tables, references) {
  const ordered = []
  const placed = new Set()
  while (ordered.length < tables.length) {
    const next = tables.filter((table) => !placed.has(table) && (references.get(table) ?? []).every((target) => target === table || placed.has(target) || !tables.includes(target)))
    if (!next.length) fail(`Les clés étrangères des tables ${tables.filter((t) => !placed.has(t)).join(', ')} forment un cycle : copie impossible dans l'ordre.`)
    for (const table of next) {
      ordered.push(table)
      placed.add(table)
    }
  }
  return ordered
}

function convert(value, type) {
  if (value === null || value === undefined) return null
  if (type === 'boolean') return value === 1 || value === '1' || value === true || value === 'true'
  if (type.startsWith('timestamp') && typeof value === 'number') return new Date(value).toISOString()
  if (type === 'date' && typeof value === 'number') return new Date(value).toISOString().slice(0, 10)
  return value
}

const [sqliteFile] = process.argv.slice(2)
if (!sqliteFile) fail('Indiquez le fichier SQLite à copier : node scripts/sqlite_to_postgres.js <fichier.sqlite3>.')
if (!existsSync(sqliteFile)) fail(`Le fichier SQLite « ${sqliteFile} » n'existe pas.`)

const env = environment()
const sqlite = new Database(sqliteFile, { readonly: true, fileMustExist: true })
const client = new pg.Client({
  host: env.DB_HOST ?? '127.0.0.1',
  port: Number(env.DB_PORT ?? 5432),
  user: env.DB_USER ?? 'postgres',
  password: env.DB_PASSWORD ?? '',
  database: env.DB_DATABASE ?? 'portail_famille',
})
try {
  await client.connect()
} catch (error) {
  fail(`Connexion à PostgreSQL impossible (${env.DB_HOST ?? '127.0.0.1'}:${env.DB_PORT ?? 5432}, base ${env.DB_DATABASE ?? 'portail_famille'}) : ${error.message}.`)
}

try {
  // Not copied: the migrations' own tables, and the counts of writes that PostgreSQL's triggers
  // write again as the rows are copied (app/core/page_change_triggers.ts).
  const MIGRATIONS = ['adonis_schema', 'adonis_schema_versions', 'page_changes']
  const pgTables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((row) => row.tablename)
  if (!pgTables.includes('adonis_schema')) fail("La base PostgreSQL n'a pas de tables : lancez d'abord `node build/ace.js migration:run --force` avec DB_CONNECTION=pg.")
  const sqliteTables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((row) => row.name)

  const migrated = (db) => new Set(db.map((row) => row.name))
  const inPg = migrated((await client.query('SELECT name FROM adonis_schema')).rows)
  const inSqlite = migrated(sqlite.prepare('SELECT name FROM adonis_schema').all())
  const differ = [...inSqlite].filter((name) => !inPg.has(name)).concat([...inPg].filter((name) => !inSqlite.has(name)))
  if (differ.length) fail(`Les deux bases ne sont pas à la même version (migrations différentes : ${differ.slice(0, 3).join(', ')}…) : lancez migration:run sur chacune avec la même version du portail.`)

  const tables = sqliteTables.filter((table) => !MIGRATIONS.includes(table) && pgTables.includes(table))
  const missing = sqliteTables.filter((table) => !MIGRATIONS.includes(table) && !pgTables.includes(table))
  if (missing.length) fail(`Tables absentes de PostgreSQL : ${missing.join(', ')}.`)
  for (const table of tables) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM "${table}") AS filled`)
    if (rows[0].filled) fail(`La base PostgreSQL n'est pas vide (table ${table}) : la copie se fait dans une base qui vient d'être migrée.`)
  }

  const references = new Map()
  const fks = await client.query(`
    SELECT source.relname AS source, target.relname AS target
    FROM pg_constraint c JOIN pg_class source ON source.oid = c.conrelid JOIN pg_class target ON target.oid = c.confrelid
    WHERE c.contype = 'f'`)
  for (const { source, target } of fks.rows) references.set(source, [...(references.get(source) ?? []), target])
  const ordered = byForeignKeys(tables, references)

  await client.query('BEGIN')
  await client.query("SET LOCAL TIME ZONE 'UTC'")
  let total = 0
  for (const table of ordered) {
    const columns = (await client.query('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', ['public', table])).rows
    const types = new Map(columns.map((column) => [column.column_name, column.data_type]))
    const sqliteColumns = sqlite.prepare(`PRAGMA table_info("${table}")`).all().map((column) => column.name)
    const shared = sqliteColumns.filter((name) => types.has(name))
    const rows = sqlite.prepare(`SELECT ${shared.map((name) => `"${name}"`).join(', ')} FROM "${table}" ORDER BY rowid`).raw().all()
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH)
      const values = []
      const tuples = batch.map((row) => `(${row.map((value, index) => (values.push(convert(value, types.get(shared[index]))), `$${values.length}`)).join(', ')})`)
      await client.query(`INSERT INTO "${table}" (${shared.map((name) => `"${name}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values)
    }
    total += rows.length
    // Serial and identity columns continue after the copied ids.
    for (const { column_name: column } of columns) {
      const { rows: sequence } = await client.query('SELECT pg_get_serial_sequence($1, $2) AS name', [`"${table}"`, column])
      if (sequence[0].name) {
        await client.query(`SELECT setval($1, COALESCE((SELECT MAX("${column}") FROM "${table}"), 0) + 1, false)`, [sequence[0].name])
      }
    }
  }
  await client.query('COMMIT')

  const unequal = []
  for (const table of ordered) {
    const expected = sqlite.prepare(`SELECT COUNT(*) AS count FROM "${table}"`).get().count
    const { rows } = await client.query(`SELECT COUNT(*)::int AS count FROM "${table}"`)
    if (rows[0].count !== expected) unequal.push(`${table} (${expected} → ${rows[0].count})`)
  }
  if (unequal.length) fail(`Comptes différents après la copie : ${unequal.join(', ')}.`)
  process.stdout.write(`Copie terminée : ${ordered.length} tables, ${total} lignes, mêmes comptes dans les deux bases.\n`)
} catch (error) {
  await client.query('ROLLBACK').catch(() => {})
  fail(`Copie interrompue, rien n'a été écrit dans PostgreSQL : ${error.message}.`)
} finally {
  await client.end().catch(() => {})
  sqlite.close()
}

/*
 * The family import's floor, measured the way anyone can reproduce it:
 *   node bench/import_floor.js FILE.csv sqlite DATABASE.sqlite3
 *   node bench/import_floor.js FILE.csv pg [DATABASE]     (PGHOST, PGPORT, PGUSER, PGPASSWORD as for psql)
 * The rows `node ace families:import FILE.csv` writes (families, pending accounts, guardians,
 * children, one history line per family), nothing checked and nothing compared, in one
 * transaction, from a process doing nothing else:
 *   - SQLite: better-sqlite3, one prepared statement per row, WAL as the app opens it; the
 *     database is written for good (the bench gives a copy of the app's);
 *   - PostgreSQL: `pg`, multi-row INSERTs of 1,000 rows (one round trip per row would be slower
 *     than the import itself: no floor at all), rolled back so the import starts from the same state.
 * The file is read with csv-parse, the parser the import uses, without its line tracking.
 * The bench times this whole process, as it times the import's (`node ace families:import`):
 * both pay a Node process's start and a database closed with its rows written.
 * Prints the time spent between the file read and the transaction's end on the last line.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'

const [file, engine, database] = process.argv.slice(2)
if (!file || !['sqlite', 'pg'].includes(engine) || (engine === 'sqlite' && !database)) {
  console.error('Usage : node bench/import_floor.js FICHIER.csv sqlite BASE.sqlite3 | node bench/import_floor.js FICHIER.csv pg [BASE]')
  process.exit(2)
}

const FAMILY = ['reference', 'address', 'postal_code', 'city', 'family_quotient', 'quotient_source', 'regime', 'resident', 'last_activity_at', 'created_at', 'updated_at']
const USER = ['username', 'email', 'full_name', 'password', 'role', 'state', 'created_at', 'updated_at']
const GUARDIAN = ['family_id', 'civility', 'last_name', 'first_name', 'email', 'phone', 'user_id', 'position', 'created_at', 'updated_at']
const CHILD = ['family_id', 'reference', 'last_name', 'first_name', 'birth_date', 'sex', 'school', 'class_level', 'diet_needs', 'created_at', 'updated_at']
const HISTORY = ['family_id', 'module', 'kind', 'text', 'link', 'created_at']

/**
 * The file's rows, table by table, in the order they are written. A family's id and a
 * guardian's account are named by the family's reference and the email until written.
 */
function rowsOf(text, now, resident) {
  const [header, ...records] = parse(text, { delimiter: ';', record_delimiter: ['\r\n', '\n'], relax_column_count: true, relax_quotes: true, trim: true })
  const col = Object.fromEntries(header.map((name, index) => [name, index]))
  const rows = { families: [], users: [], guardians: [], children: [], history: [] }
  const seen = new Set()
  for (const cells of records) {
    const ref = cells[col.famille_ref]
    if (!seen.has(ref)) {
      seen.add(ref)
      const regime = cells[col.regime]
      rows.families.push([ref, cells[col.adresse], cells[col.code_postal], cells[col.ville], Number(cells[col.quotient_familial]), regime, regime, resident, now, now, now])
      rows.history.push([ref, 'dossier', 'family-created', 'Dossier créé par le service (import)', null, now])
      for (const position of [1, 2]) {
        const p = `responsable${position}_`
        if (!cells[col[p + 'nom']]) continue
        const email = cells[col[p + 'email']] || null
        if (email) rows.users.push([email, email, `${cells[col[p + 'prenom']]} ${cells[col[p + 'nom']]}`, null, 'parent', 'pending', now, now])
        rows.guardians.push([ref, cells[col[p + 'civilite']], cells[col[p + 'nom']], cells[col[p + 'prenom']], email, cells[col[p + 'telephone']], email, position, now, now])
      }
    }
    const birth = cells[col.enfant_date_naissance]
    const [d, m, y] = birth.includes('/') ? birth.split('/') : []
    rows.children.push([ref, cells[col.enfant_ref], cells[col.enfant_nom], cells[col.enfant_prenom], y ? `${y}-${m}-${d}` : birth, cells[col.enfant_sexe], cells[col.ecole], cells[col.classe], null, now, now])
  }
  return rows
}

/** Writes the rows: `insert(table, columns, rows, key)` gives the new ids by the rows' `key` column when asked. */
async function writeRows(rows, insert) {
  const familyIds = await insert('families', FAMILY, rows.families, 'reference')
  const userIds = await insert('users', USER, rows.users, 'email')
  await insert('guardians', GUARDIAN, rows.guardians.map(([ref, civility, last, first, email, phone, userEmail, ...rest]) => [familyIds.get(ref), civility, last, first, email, phone, userEmail ? userIds.get(userEmail) : null, ...rest]))
  await insert('children', CHILD, rows.children.map(([ref, ...rest]) => [familyIds.get(ref), ...rest]))
  await insert('family_history_entries', HISTORY, rows.history.map(([ref, ...rest]) => [familyIds.get(ref), ...rest]))
}

async function sqliteFloor(text) {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(database)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  const started = performance.now()
  const rows = rowsOf(text, new Date().toISOString().slice(0, 19).replace('T', ' '), 1)
  db.exec('BEGIN IMMEDIATE')
  await writeRows(rows, (table, columns, values, key) => {
    const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    const ids = new Map()
    const at = columns.indexOf(key)
    for (const row of values) {
      const id = statement.run(row).lastInsertRowid
      if (key) ids.set(row[at], Number(id))
    }
    return ids
  })
  db.exec('COMMIT')
  const elapsed = performance.now() - started
  db.close()
  return elapsed
}

async function pgFloor(text) {
  const { default: pg } = await import('pg')
  const client = new pg.Client(database ? { database } : {})
  await client.connect()
  try {
    const started = performance.now()
    const rows = rowsOf(text, new Date().toISOString(), true)
    await client.query('BEGIN')
    await writeRows(rows, async (table, columns, values, key) => {
      const ids = new Map()
      for (let at = 0; at < values.length; at += 1000) {
        const bound = []
        const tuples = values.slice(at, at + 1000).map((row) => `(${row.map((value) => (bound.push(value), `$${bound.length}`)).join(', ')})`)
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${key ? ` RETURNING id, ${key}` : ''}`
        const result = await client.query(sql, bound)
        for (const row of key ? result.rows : []) ids.set(row[key], Number(row.id))
      }
      return ids
    })
    const elapsed = performance.now() - started
    await client.query('ROLLBACK')
    return elapsed
  } finally {
    await client.end()
  }
}

const text = readFileSync(file, 'utf8')
const elapsed = engine === 'pg' ? await pgFloor(text) : await sqliteFloor(text)
console.log(`${elapsed.toFixed(1)} ms`)

/*
 * Import of a generated file of 20,000 families (30,000 children) — BENCH_DOSSIER_FAMILIES changes the size:
 *   1. the floor: the rows the import writes (families, guardians, pending users, children, one
 *      history line per family), nothing checked, in one transaction — better-sqlite3 prepared
 *      statements on a copy of the app's SQLite file, or `pg` multi-row INSERTs (rolled back) with --pg;
 *   2. `node ace families:import` (validation, diff, batches in transactions, accounts through the
 *      accounts service) — wall time, process boot included, as an operator sees it;
 *   3. the same file again (idempotent: everything "inchangée").
 * Families per second in the req/s column; average = ms per family; p99 has no meaning here (0).
 * Key figure: import_over_raw_inserts = import families/s ÷ floor families/s.
 */
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import type { BenchContext, BenchFigures, BenchScenario, KeyFigureReporting } from '../../../bench/types.js'
import { ROOT } from '../../../bench/servers.js'
import { parseCsv } from '../services/import/csv_parser.js'

const HEADER =
  'famille_ref;responsable1_civilite;responsable1_nom;responsable1_prenom;responsable1_email;responsable1_telephone;responsable2_civilite;responsable2_nom;responsable2_prenom;responsable2_email;responsable2_telephone;adresse;code_postal;ville;quotient_familial;regime;enfant_ref;enfant_nom;enfant_prenom;enfant_date_naissance;enfant_sexe;ecole;classe'

/** The database the bench runs on (the runner describes it; older runners only give SQLITE_PATH). */
type PgConnection = { host?: string; port?: number; user?: string; password?: string; database?: string }
type BenchDatabase = { kind: 'sqlite'; path: string } | { kind: 'pg'; connection: PgConnection }
type Context = BenchContext & Partial<Pick<KeyFigureReporting, 'report'>> & { database?: BenchDatabase }

function generate(families: number): { text: string; rows: number } {
  const lines = [HEADER]
  for (let n = 1; n <= families; n++) {
    const ref = `B${String(n).padStart(6, '0')}`
    const second = n % 2 === 0
    const family = `${ref};Mme;Nom${n};Claire;claire.${n}@bench.exemple.fr;06 12 34 56 78;${second ? `M.;Nom${n};Paul;paul.${n}@bench.exemple.fr;07 00 00 00 00` : ';;;;'};${n} rue de la Paix;06670;Colomars;${400 + (n % 1500)};${n % 5 ? 'CAF' : 'MSA'}`
    lines.push(`${family};E1;Nom${n};Léa;${String(1 + (n % 28)).padStart(2, '0')}/03/2016;F;École du Village;CM2`)
    if (second) lines.push(`${family};E2;Nom${n};Noé;2019-0${1 + (n % 9)}-1${n % 10};M;École du Village;GS`)
  }
  return { text: lines.join('\r\n') + '\r\n', rows: lines.length - 1 }
}

function figures(name: string, families: number, ms: number, note: string): BenchFigures {
  return { name, requestsPerSecond: (families * 1000) / ms, p99: 0, average: ms / families, requests: families, non2xx: 0, errors: 0, note }
}

const SQL = {
  family:
    'INSERT INTO families (reference, address, postal_code, city, family_quotient, quotient_source, regime, resident, last_activity_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id',
  user: "INSERT INTO users (username, email, full_name, password, role, state, created_at, updated_at) VALUES ($1, $2, $3, NULL, 'parent', 'pending', $4, $5) RETURNING id",
  guardian:
    'INSERT INTO guardians (family_id, civility, last_name, first_name, email, phone, user_id, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
  child:
    'INSERT INTO children (family_id, reference, last_name, first_name, birth_date, sex, school, class_level, diet_needs, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)',
  history: "INSERT INTO family_history_entries (family_id, module, kind, text, link, created_at) VALUES ($1, 'dossier', 'family-created', $2, NULL, $3)",
}
type Statement = keyof typeof SQL
/** Runs one prepared statement with its values; gives the new id for the statements that return one. */
type Execute = (statement: Statement, values: unknown[]) => Promise<number | undefined>

/** The floor's work, shared by both databases: the file parsed, then one statement per row written. */
async function insertRows(csv: string, now: string, execute: Execute) {
  const { header, records } = parseCsv(csv)
  const col = Object.fromEntries(header.map((name, index) => [name, index]))
  const ids = new Map<string, number>()
  for (const { cells } of records) {
    const ref = cells[col.famille_ref]
    let familyId = ids.get(ref)
    if (familyId === undefined) {
      const regime = cells[col.regime]
      familyId = (await execute('family', [
        ref, cells[col.adresse], cells[col.code_postal], cells[col.ville], Number(cells[col.quotient_familial]),
        regime, regime, 1, now, now, now,
      ]))!
      ids.set(ref, familyId)
      await execute('history', [familyId, 'Dossier créé par le service (import)', now])
      for (const position of [1, 2]) {
        const p = `responsable${position}_`
        if (!cells[col[p + 'nom']]) continue
        const email = cells[col[p + 'email']] || null
        const fullName = `${cells[col[p + 'prenom']]} ${cells[col[p + 'nom']]}`
        const userId = email ? await execute('user', [email, email, fullName, now, now]) : null
        await execute('guardian', [familyId, cells[col[p + 'civilite']], cells[col[p + 'nom']], cells[col[p + 'prenom']], email, cells[col[p + 'telephone']], userId, position, now, now])
      }
    }
    const birth = cells[col.enfant_date_naissance]
    const [d, m, y] = birth.includes('/') ? birth.split('/') : []
    await execute('child', [familyId, cells[col.enfant_ref], cells[col.enfant_nom], cells[col.enfant_prenom], y ? `${y}-${m}-${d}` : birth, cells[col.enfant_sexe], cells[col.ecole], cells[col.classe], now, now])
  }
}

/** better-sqlite3 on a copy of the app's file as the import found it; returns ms. */
async function sqliteFloor(appDatabase: string, folder: string, csv: string): Promise<number> {
  const floorDatabase = join(folder, 'plain.sqlite3')
  for (const suffix of ['', '-wal', '-shm']) rmSync(floorDatabase + suffix, { force: true })
  const source = new Database(appDatabase, { readonly: true })
  await source.backup(floorDatabase)
  source.close()
  const db = new Database(floorDatabase)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  const statements = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql.replace(/\$\d+/g, '?').replace(' RETURNING id', ''))])
  ) as Record<Statement, Database.Statement>
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
  const started = performance.now()
  db.exec('BEGIN IMMEDIATE')
  await insertRows(csv, now, async (statement, values) => Number(statements[statement].run(...values).lastInsertRowid))
  db.exec('COMMIT')
  const elapsed = performance.now() - started
  db.close()
  return elapsed
}

type PgClient = InstanceType<typeof pg.Client>

/** A multi-row INSERT of `rows` (same columns) into `table`, `RETURNING` the given columns. */
async function insertBatch(client: PgClient, table: string, columns: string[], rows: unknown[][], returning = '') {
  const values: unknown[] = []
  const tuples = rows.map((row) => `(${row.map((value) => (values.push(value), `$${values.length}`)).join(', ')})`)
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${returning ? ` RETURNING ${returning}` : ''}`
  return (await client.query(sql, values)).rows
}

/** The file's rows, per table, families and users named by their reference and email. */
function pgRows(csv: string, now: string) {
  const rows = { family: [] as unknown[][], user: [] as unknown[][], guardian: [] as unknown[][], child: [] as unknown[][] }
  const { header, records } = parseCsv(csv)
  const col = Object.fromEntries(header.map((name, index) => [name, index]))
  const seen = new Set<string>()
  for (const { cells } of records) {
    const ref = cells[col.famille_ref]
    if (!seen.has(ref)) {
      seen.add(ref)
      const regime = cells[col.regime]
      rows.family.push([ref, cells[col.adresse], cells[col.code_postal], cells[col.ville], Number(cells[col.quotient_familial]), regime, regime, true, now, now, now])
      for (const position of [1, 2]) {
        const p = `responsable${position}_`
        if (!cells[col[p + 'nom']]) continue
        const email = cells[col[p + 'email']] || null
        if (email) rows.user.push([email, email, `${cells[col[p + 'prenom']]} ${cells[col[p + 'nom']]}`, 'parent', 'pending', now, now])
        rows.guardian.push([ref, cells[col[p + 'civilite']], cells[col[p + 'nom']], cells[col[p + 'prenom']], email, cells[col[p + 'telephone']], email, position, now, now])
      }
    }
    const birth = cells[col.enfant_date_naissance]
    const [d, m, y] = birth.includes('/') ? birth.split('/') : []
    rows.child.push([ref, cells[col.enfant_ref], cells[col.enfant_nom], cells[col.enfant_prenom], y ? `${y}-${m}-${d}` : birth, cells[col.enfant_sexe], cells[col.ecole], cells[col.classe], now, now])
  }
  return rows
}

/**
 * `pg`: the same rows written the fastest plain way a PostgreSQL client has, multi-row INSERTs
 * of 1,000 rows in one transaction, rolled back so the import starts from the same state (one
 * round trip per row would be slower than the import itself: no floor at all).
 */
async function pgFloor(connection: PgConnection, csv: string): Promise<number> {
  const client = new pg.Client(connection)
  await client.connect()
  const batches = async (table: string, columns: string[], rows: unknown[][], returning = '') => {
    const returned: any[] = []
    for (let at = 0; at < rows.length; at += 1000) returned.push(...(await insertBatch(client, table, columns, rows.slice(at, at + 1000), returning)))
    return returned
  }
  try {
    const now = new Date().toISOString()
    const started = performance.now()
    await client.query('BEGIN')
    const rows = pgRows(csv, now)
    const familyIds = new Map<string, number>()
    const familyColumns = ['reference', 'address', 'postal_code', 'city', 'family_quotient', 'quotient_source', 'regime', 'resident', 'last_activity_at', 'created_at', 'updated_at']
    for (const family of await batches('families', familyColumns, rows.family, 'id, reference')) familyIds.set(family.reference, family.id)
    const userIds = new Map<string, number>()
    const userColumns = ['username', 'email', 'full_name', 'role', 'state', 'created_at', 'updated_at']
    for (const user of await batches('users', userColumns, rows.user, 'id, email')) userIds.set(user.email, user.id)
    const guardianColumns = ['family_id', 'civility', 'last_name', 'first_name', 'email', 'phone', 'user_id', 'position', 'created_at', 'updated_at']
    const guardians = rows.guardian.map(([ref, ...rest]) => [familyIds.get(ref as string), ...rest.slice(0, 5), rest[5] ? userIds.get(rest[5] as string) : null, ...rest.slice(6)])
    await batches('guardians', guardianColumns, guardians)
    const childColumns = ['family_id', 'reference', 'last_name', 'first_name', 'birth_date', 'sex', 'school', 'class_level', 'created_at', 'updated_at']
    await batches('children', childColumns, rows.child.map(([ref, ...rest]) => [familyIds.get(ref as string), ...rest]))
    const history = rows.family.map(([ref]) => [familyIds.get(ref as string), 'dossier', 'family-created', 'Dossier créé par le service (import)', now])
    await batches('family_history_entries', ['family_id', 'module', 'kind', 'text', 'created_at'], history)
    const elapsed = performance.now() - started
    await client.query('ROLLBACK')
    return elapsed
  } finally {
    await client.end()
  }
}

const scenario: BenchScenario = {
  name: 'import de familles',
  async run(benchContext: BenchContext) {
    const ctx = benchContext as Context
    const families = Number(process.env.BENCH_DOSSIER_FAMILIES) || 20_000
    const folder = join(ROOT, 'tmp/bench-dossier')
    mkdirSync(folder, { recursive: true })
    const file = join(folder, 'familles.csv')
    const { text, rows } = generate(families)
    writeFileSync(file, text)
    ctx.log(`dossier : fichier de ${families} familles (${rows} enfants) généré`)

    const database: BenchDatabase = ctx.database ?? { kind: 'sqlite', path: ctx.env.SQLITE_PATH ?? 'tmp/bench.sqlite3' }
    const csv = readFileSync(file, 'utf8')
    const plain = database.kind === 'pg' ? await pgFloor(database.connection, csv) : await sqliteFloor(isAbsolute(database.path) ? database.path : join(ROOT, database.path), folder, csv)
    ctx.log(`dossier : plancher, insertions brutes ${(plain / 1000).toFixed(2)} s`)

    let started = performance.now()
    await ctx.ace(['list'])
    const boot = performance.now() - started
    started = performance.now()
    await ctx.ace(['families:import', file])
    const first = performance.now() - started
    ctx.log(`dossier : import ${(first / 1000).toFixed(1)} s (démarrage d'Ace seul : ${(boot / 1000).toFixed(1)} s)`)
    started = performance.now()
    await ctx.ace(['families:import', file])
    const again = performance.now() - started
    ctx.log(`dossier : ré-import ${(again / 1000).toFixed(1)} s`)

    const ratio = (families / first) / (families / plain)
    ctx.report?.('import_over_raw_inserts', ratio)
    const engine = database.kind === 'pg' ? 'pg' : 'better-sqlite3'
    return [
      figures(
        `import ${families} familles (families:import)`,
        families,
        first,
        `familles/s ; ${rows} enfants, comptes en attente créés ; démarrage du processus inclus (${(first / 1000).toFixed(1)} s en tout, dont ~${(boot / 1000).toFixed(1)} s pour démarrer Ace) ; ${ratio.toFixed(2)} × le plancher`
      ),
      figures(`ré-import identique (families:import)`, families, again, `familles/s ; rien ne change ; démarrage inclus (${(again / 1000).toFixed(1)} s)`),
      figures(
        `plancher : insertions brutes, 1 transaction`,
        families,
        plain,
        `familles/s ; ${engine} seul, ${database.kind === 'pg' ? 'INSERT de 1 000 lignes' : 'une requête préparée par ligne'} (familles, responsables, comptes, enfants, historique), sans vérification ni comparaison (${(plain / 1000).toFixed(2)} s)`
      ),
    ]
  },
}

export default scenario

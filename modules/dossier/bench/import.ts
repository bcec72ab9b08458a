/*
 * Import of a generated file of 10,000 families (15,000 children) on SQLite:
 *   1. `node ace families:import` (validation, diff, Lucid models, batches of 250 in transactions,
 *      pending accounts through the accounts service) — wall time, process boot included;
 *   2. the same file again (idempotent: everything "inchangée");
 *   3. the floor: the same rows written with plain better-sqlite3 prepared statements in one
 *      transaction, on a copy of the empty schema (no validation, no diff, no accounts).
 * Families per second in the req/s column; average = ms per family; p99 has no meaning here (0).
 * BENCH_DOSSIER_FAMILIES changes the size.
 */
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import type { BenchContext, BenchFigures, BenchScenario } from '../../../bench/types.js'
import { parseCsv } from '../services/import/csv_parser.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const HEADER =
  'famille_ref;responsable1_civilite;responsable1_nom;responsable1_prenom;responsable1_email;responsable1_telephone;responsable2_civilite;responsable2_nom;responsable2_prenom;responsable2_email;responsable2_telephone;adresse;code_postal;ville;quotient_familial;regime;enfant_ref;enfant_nom;enfant_prenom;enfant_date_naissance;enfant_sexe;ecole;classe'

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

/** The floor: plain prepared statements in one transaction, no checks. */
function plainInsert(databasePath: string, csv: string): number {
  const db = new Database(databasePath)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
  const insertFamily = db.prepare(
    'INSERT INTO families (reference, address, postal_code, city, family_quotient, quotient_source, regime, resident, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)'
  )
  const insertUser = db.prepare("INSERT INTO users (username, email, full_name, role, state, created_at, updated_at) VALUES (?, ?, ?, 'parent', 'pending', ?, ?)")
  const insertGuardian = db.prepare(
    'INSERT INTO guardians (family_id, civility, last_name, first_name, email, phone, user_id, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const insertChild = db.prepare(
    'INSERT INTO children (family_id, reference, last_name, first_name, birth_date, sex, school, class_level, pai, vaccinations_up_to_date, image_rights, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)'
  )
  const started = performance.now()
  const { header, records } = parseCsv(csv)
  const col = Object.fromEntries(header.map((name, index) => [name, index]))
  const ids = new Map<string, number>()
  db.transaction(() => {
    for (const { cells } of records) {
      const ref = cells[col.famille_ref]
      let familyId = ids.get(ref)
      if (familyId === undefined) {
        familyId = Number(
          insertFamily.run(ref, cells[col.adresse], cells[col.code_postal], cells[col.ville], Number(cells[col.quotient_familial]), cells[col.regime], cells[col.regime], now, now).lastInsertRowid
        )
        ids.set(ref, familyId)
        for (const position of [1, 2]) {
          const p = `responsable${position}_`
          if (!cells[col[p + 'nom']]) continue
          const email = cells[col[p + 'email']] || null
          const userId = email ? Number(insertUser.run(email, email, `${cells[col[p + 'prenom']]} ${cells[col[p + 'nom']]}`, now, now).lastInsertRowid) : null
          insertGuardian.run(familyId, cells[col[p + 'civilite']], cells[col[p + 'nom']], cells[col[p + 'prenom']], email, cells[col[p + 'telephone']], userId, position, now, now)
        }
      }
      const [d, m, y] = cells[col.enfant_date_naissance].includes('/') ? cells[col.enfant_date_naissance].split('/') : ['', '', '']
      const birth = y ? `${y}-${m}-${d}` : cells[col.enfant_date_naissance]
      insertChild.run(familyId, cells[col.enfant_ref], cells[col.enfant_nom], cells[col.enfant_prenom], birth, cells[col.enfant_sexe], cells[col.ecole], cells[col.classe], now, now)
    }
  })()
  const elapsed = performance.now() - started
  db.close()
  return elapsed
}

const scenario: BenchScenario = {
  name: 'import de familles',
  async run(ctx: BenchContext) {
    const families = Number(process.env.BENCH_DOSSIER_FAMILIES) || 10_000
    const folder = join(ROOT, 'tmp/bench-dossier')
    mkdirSync(folder, { recursive: true })
    const file = join(folder, 'familles.csv')
    const { text, rows } = generate(families)
    writeFileSync(file, text)
    ctx.log(`dossier : fichier de ${families} familles (${rows} enfants) généré`)

    const appDatabase = join(ROOT, ctx.env.SQLITE_PATH ?? 'tmp/bench.sqlite3')
    const floorDatabase = join(folder, 'plain.sqlite3')
    for (const suffix of ['', '-wal', '-shm']) rmSync(floorDatabase + suffix, { force: true })
    const source = new Database(appDatabase, { readonly: true })
    await source.backup(floorDatabase)
    source.close()
    const copy = new Database(floorDatabase)
    for (const table of ['family_history_entries', 'family_documents', 'authorized_persons', 'children', 'guardians', 'families']) copy.prepare(`DELETE FROM ${table}`).run()
    copy.prepare("DELETE FROM users WHERE email LIKE '%@bench.exemple.fr'").run()
    copy.close()

    let started = performance.now()
    await ctx.ace(['families:import', file])
    const first = performance.now() - started
    ctx.log(`dossier : import ${(first / 1000).toFixed(1)} s`)
    started = performance.now()
    await ctx.ace(['families:import', file])
    const again = performance.now() - started
    ctx.log(`dossier : ré-import ${(again / 1000).toFixed(1)} s`)
    const plain = plainInsert(floorDatabase, readFileSync(file, 'utf8'))
    ctx.log(`dossier : requêtes préparées ${(plain / 1000).toFixed(1)} s`)

    return [
      figures(`import ${families} familles (families:import)`, families, first, `familles/s ; ${rows} enfants, comptes en attente créés, lots de 250 ; démarrage du processus inclus (${(first / 1000).toFixed(1)} s en tout)`),
      figures(`ré-import identique (families:import)`, families, again, `familles/s ; rien ne change ; démarrage inclus (${(again / 1000).toFixed(1)} s)`),
      figures(`plancher : requêtes préparées, 1 transaction`, families, plain, `familles/s ; better-sqlite3 seul, sans vérification ni comparaison (${(plain / 1000).toFixed(2)} s)`),
    ]
  },
}

export default scenario

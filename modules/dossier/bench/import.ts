/*
 * Import of a generated file of 20,000 families (30,000 children) — BENCH_DOSSIER_FAMILIES changes the size:
 *   1. the floor, bench/import_floor.js (a plain script anyone can run): the rows the import writes
 *      (families, guardians, pending users, children, one history line per family), nothing
 *      checked, in one transaction — better-sqlite3 prepared statements on a copy of the app's
 *      SQLite file, or `pg` multi-row INSERTs (rolled back) with --pg — in a Node process of its own;
 *   2. `node ace families:import` (validation, diff, batches in transactions, accounts through the
 *      accounts service) — as an operator sees it;
 *   Both are timed from their process's start to its exit: each pays Node's start, reading the
 *   file and closing its database; the import also pays the portal's boot (~1.2 s of its time).
 *   3. the same file again (idempotent: everything "inchangée").
 * Families per second in the req/s column; average = ms per family; p99 has no meaning here (0).
 * Key figure: import_over_raw_inserts = import families/s ÷ floor families/s.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import Database from 'better-sqlite3'
import type { BenchContext, BenchFigures, BenchScenario, KeyFigureReporting } from '../../../bench/types.js'
import { ROOT, run } from '../../../bench/servers.js'

const HEADER =
  'famille_ref;responsable1_civilite;responsable1_nom;responsable1_prenom;responsable1_email;responsable1_telephone;responsable2_civilite;responsable2_nom;responsable2_prenom;responsable2_email;responsable2_telephone;adresse;code_postal;ville;quotient_familial;regime;enfant_ref;enfant_nom;enfant_prenom;enfant_date_naissance;enfant_sexe;ecole;classe'

/** The database the bench runs on (the runner describes it; older runners only give SQLITE_PATH). */
type PgConnection = { host?: string; port?: number; user?: string; password?: string; database?: string }
type BenchDatabase = { kind: 'sqlite'; path: string } | { kind: 'pg'; connection: PgConnection }
type Context = BenchContext & Partial<Pick<KeyFigureReporting, 'report'>> & { database?: BenchDatabase }

export function generateFamilies(families: number): { text: string; rows: number } {
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

/**
 * The floor: bench/import_floor.js in a process of its own, timed from its start to its exit as
 * the import's command is. SQLite writes into a copy of the app's file as the import found it.
 */
async function floor(database: BenchDatabase, folder: string, file: string) {
  let args: string[]
  let env: NodeJS.ProcessEnv = process.env
  if (database.kind === 'pg') {
    const { host, port, user, password, database: name } = database.connection
    args = [file, 'pg', name ?? 'postgres']
    env = { ...process.env, PGHOST: host, PGPORT: port === undefined ? undefined : String(port), PGUSER: user, PGPASSWORD: password }
  } else {
    const appDatabase = isAbsolute(database.path) ? database.path : join(ROOT, database.path)
    const copy = join(folder, 'plain.sqlite3')
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
    const source = new Database(appDatabase, { readonly: true })
    await source.backup(copy)
    source.close()
    args = [file, 'sqlite', copy]
  }
  const started = performance.now()
  const output = await run([join(ROOT, 'bench/import_floor.js'), ...args], env)
  const wholeMs = performance.now() - started
  const insideMs = Number(/([\d.]+) ms\s*$/.exec(output)?.[1])
  if (!Number.isFinite(insideMs)) throw new Error(`bench/import_floor.js n'a pas donné de mesure :\n${output}`)
  return { wholeMs, insideMs }
}

const scenario: BenchScenario = {
  name: 'import de familles',
  async run(benchContext: BenchContext) {
    const ctx = benchContext as Context
    const families = Number(process.env.BENCH_DOSSIER_FAMILIES) || 20_000
    const folder = join(ROOT, 'tmp/bench-dossier')
    mkdirSync(folder, { recursive: true })
    const file = join(folder, 'familles.csv')
    const { text, rows } = generateFamilies(families)
    writeFileSync(file, text)
    ctx.log(`dossier : fichier de ${families} familles (${rows} enfants) généré`)

    const database: BenchDatabase = ctx.database ?? { kind: 'sqlite', path: ctx.env.SQLITE_PATH ?? 'tmp/bench.sqlite3' }
    const { wholeMs: plain, insideMs } = await floor(database, folder, file)
    ctx.log(`dossier : plancher (bench/import_floor.js), ${(plain / 1000).toFixed(2)} s en tout, dont ${(insideMs / 1000).toFixed(2)} s de lecture et d'insertions`)

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
    ctx.log(`dossier : import ÷ plancher = ${ratio.toFixed(3)} (${(insideMs / first).toFixed(3)} contre le seul temps de lecture et d'insertions du plancher)`)
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
        `familles/s ; bench/import_floor.js, ${engine} seul, ${database.kind === 'pg' ? 'INSERT de 1 000 lignes' : 'une requête préparée par ligne'} (familles, responsables, comptes, enfants, historique), sans vérification ni comparaison ; ${(plain / 1000).toFixed(2)} s du lancement à la fin du processus, dont ${(insideMs / 1000).toFixed(2)} s de lecture et d'insertions`
      ),
    ]
  },
}

export default scenario

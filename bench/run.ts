/*
 * `npm run bench`: requests/s and p99 latency of
 *   (a) a raw Node http server, (b) a bare Adonis route (no middleware),
 *   (c) the same route through the web middleware stack, (d) the public home page,
 * then every scenario found in modules/<name>/bench/*.ts, each on a fresh database of its own,
 * between two argon2 baselines (bench/hash_baseline.js); ends with the key figures against their
 * goals (bench/goals.ts). Loopback only, bounded, stops by itself.
 */
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { availableParallelism, loadavg } from 'node:os'
import { Command } from 'commander'
import autocannon from 'autocannon'
import { isKeyFigure } from './goals.js'
import { measureInTurns, type Slice } from './in_turns.js'
import { pgDatabases, sqliteDatabases } from './databases.js'
import { moduleScenarios } from './scenarios.js'
import { figuresOf, keyFigureRows, printKeyFigures, printMeasures, writeJson } from './report.js'
import { PAGE_COPY_FILE, ROOT, hashBaseline, run, start, stop, stopAll, waitFor, watchCpu, watchMemory, type Server } from './servers.js'
import type { BenchContext, BenchFigures, BenchScenario, KeyFigureName, MeasureOptions } from './types.js'
import { SERVER_NODE_FLAGS } from '../scripts/server_node_flags.js'

const program = new Command()
  .name('npm run bench --')
  .description('Mesure req/s et latence p99 du portail (boucle locale uniquement).')
  .option('-d, --duration <seconds>', 'durée de mesure par scénario', '5')
  .option('-w, --warmup <seconds>', 'échauffement non mesuré avant chaque scénario (V8 compile le code chaud pendant les premières secondes)', '3')
  .option('-c, --connections <n>', 'connexions simultanées', '10')
  .option('-p, --port <port>', "port de l'application (le serveur Node brut prend port+1)", '4500')
  .option('-m, --modules <list>', "modules activés dans l'application (PORTAL_MODULES ; défaut : tous)")
  .option('--no-module-scenarios', 'ignorer modules/*/bench/*.ts')
  .option('--only <list>', 'seulement les scénarios de ces modules (ex. planning,accounts ; tous les modules restent actifs)')
  .option('--pg', 'PostgreSQL (DB_HOST… ou 127.0.0.1:5432, utilisateur postgres) et Redis (127.0.0.1) au lieu de SQLite')
  .option('--json <file>', 'écrit les chiffres clés, la machine et les tableaux dans ce fichier JSON')
  .option('--no-build', "lancer l'application depuis les sources (chargeur TypeScript) au lieu de la construire comme en production")
  .option('--hash-seconds <seconds>', 'durée de chaque mesure du hachage argon2id seul (avant et après les scénarios)', '8')
  .parse()

const options = program.opts<{
  duration: string
  warmup: string
  connections: string
  port: string
  modules?: string
  moduleScenarios: boolean
  only?: string
  pg?: boolean
  json?: string
  hashSeconds: string
  build: boolean
}>()
const duration = positive(options.duration, '--duration')
const warmup = Math.max(0, Number(options.warmup) || 0)
const connections = positive(options.connections, '--connections')
const appPort = positive(options.port, '--port')
const hashSeconds = positive(options.hashSeconds, '--hash-seconds')
const rawPort = appPort + 1
const appUrl = `http://127.0.0.1:${appPort}`
const databases = options.pg ? pgDatabases() : sqliteDatabases()

function positive(value: string, flag: string) {
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) {
    console.error(`${flag} attend un nombre positif (reçu « ${value} »).`)
    process.exit(2)
  }
  return number
}

/** The app's environment but its database (each part of the run gets its own). */
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  // production: Edge caches compiled templates, as on a real portal.
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: String(appPort),
  APP_KEY: 'bench-key-not-secret-0123456789abcdef',
  STORAGE_PATH: join(ROOT, 'tmp/bench-storage'),
  MAIL_OUTBOX_PATH: join(ROOT, 'tmp/bench-outbox'),
  PORTAL_BENCH_ROUTES: '1',
  BENCH_PAGE_COPY: PAGE_COPY_FILE,
}
for (const key of ['SESSION_DRIVER', 'LIMITER_STORE', 'REDIS_HOST', 'SMTP_HOST', 'DRIVE_DISK', 'SQLITE_PATH']) delete baseEnv[key]
// Sessions and the limiter follow REDIS_HOST (config/session.ts, config/limiter.ts).
if (options.pg) baseEnv.REDIS_HOST = '127.0.0.1'
if (options.modules !== undefined) baseEnv.PORTAL_MODULES = options.modules

/**
 * As a commune runs it: `node ace build`, then the compiled server and commands (the
 * TypeScript loader alone holds ~100 MB and slows every dynamic import). --no-build runs
 * the sources instead.
 */
// The server runs with the production Node flags (scripts/server_node_flags.js, as in docs/PRODUCTION.md).
// BENCH_SERVER_FLAGS adds Node flags to the app server, e.g. "--cpu-prof --cpu-prof-dir=tmp/profiles" to profile a run.
const extraServerFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean)
const appEntry = [...SERVER_NODE_FLAGS, ...extraServerFlags, ...(options.build ? [join(ROOT, 'build/bin/server.js')] : ['--import=ts-node-maintained/register/esm', 'bin/server.ts'])]
const aceEntry = options.build ? join(ROOT, 'build/ace.js') : 'ace'

async function buildApp() {
  if (!options.build) return
  console.log("Construction de l'application (node ace build)…")
  // PORTAL_BENCH_BUILD: keep bench/ and the bench commands, which a commune's build does not ship.
  await run(['ace', 'build'], { ...process.env, NODE_ENV: 'development', PORTAL_BENCH_BUILD: '1' })
  // The build uses the project's installed packages, as `npm ci --omit=dev` in build/ would.
  symlinkSync(join(ROOT, 'node_modules'), join(ROOT, 'build/node_modules'), 'dir')
}

async function startApp(env: NodeJS.ProcessEnv): Promise<Server> {
  const app = start("l'application", appEntry, env)
  await waitFor(`${appUrl}/__bench/bare`, app)
  return app
}

/** autocannon's options for a measure: its path on the app (or a full URL), its connections. */
function autocannonOptions(scenario: MeasureOptions, baseUrl: string) {
  const { name, path, note, connections: ownConnections, ...rest } = scenario
  const url = /^https?:\/\//.test(path) ? path : baseUrl + path
  return { name, note, common: { ...rest, url, connections: ownConnections ?? connections } }
}

async function measure(scenario: MeasureOptions, baseUrl = appUrl): Promise<BenchFigures> {
  const { name, note, common } = autocannonOptions(scenario, baseUrl)
  if (warmup > 0) await autocannon({ ...common, duration: warmup })
  const result = await autocannon({ ...common, duration })
  const figures: BenchFigures = {
    name,
    // All its requests over all its seconds, as the measures taken in turns (bench/in_turns.ts):
    // autocannon's `requests.average` is the mean of its per-second samples, ~1 % away.
    requestsPerSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
    p99: result.latency.p99,
    average: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    note,
    http: true,
  }
  printMeasure(figures, '', ` (dont ${result.timeouts} délais dépassés)`)
  return figures
}

/** One measure's line as it is taken: req/s, p99, and its invalid answers if any. */
function printMeasure(row: BenchFigures, detail: string, errorDetail = '') {
  const invalid = row.non2xx || row.errors
  console.log(
    `  ${row.name}: ${row.requestsPerSecond.toFixed(0)} req/s, p99 ${row.p99} ms${detail}` +
      (invalid ? ` — ⚠ ${row.non2xx} réponses non-2xx, ${row.errors} erreurs${errorDetail}` : '')
  )
}

/** One slice of a measure taken in turns with others (bench/in_turns.ts). */
async function slice(scenario: MeasureOptions, seconds: number): Promise<Slice> {
  const result = await autocannon({ ...autocannonOptions(scenario, appUrl).common, duration: seconds })
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p99: result.latency.p99,
    latencyAverage: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** Measures divided by one another, taken in turns; each printed as measure() prints it. */
async function measureTogether(scenarios: MeasureOptions[]): Promise<BenchFigures[]> {
  const figures = await measureInTurns(scenarios, slice, { duration, warmup })
  for (const row of figures) printMeasure(row, ` (${row.note?.split(' ; ').at(-1)})`)
  return figures
}

async function session(path = '/') {
  const response = await fetch(appUrl + path)
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  const html = await response.text()
  const token = /name="_csrf"\s+value="([^"]+)"/.exec(html)?.[1] ?? null
  return { cookie, csrfToken: token }
}

const keyFigures = new Map<KeyFigureName, number>()

function report(name: string, value: number) {
  if (!isKeyFigure(name)) {
    console.error(`  ✗ chiffre clé inconnu « ${name} » (voir bench/goals.ts)`)
    process.exitCode = 1
    return
  }
  keyFigures.set(name, value)
}

/** The HTTP baselines (a)-(d), on a database of their own. */
async function baselines(rows: BenchFigures[]) {
  const fresh = await databases.fresh('core')
  const raw = start('le serveur Node brut', [join(ROOT, 'bench/raw_server.js'), String(rawPort)], process.env)
  const app = await startApp({ ...baseEnv, ...fresh.env })
  await waitFor(`http://127.0.0.1:${rawPort}/`, raw)
  const a = await measure({ name: '(a) Node http brut', path: '/' }, `http://127.0.0.1:${rawPort}`)
  await stop(raw.child)
  const visitor = await session('/')
  const store = options.pg ? 'Redis' : 'base SQLite'
  // (c) and (d) are divided by (b): the three in turns.
  const [b, c, d] = await measureTogether([
    { name: '(b) route Adonis nue', path: '/__bench/bare' },
    {
      name: '(c) même route + middleware web',
      path: '/__bench/stack',
      headers: { cookie: visitor.cookie },
      note: `bodyparser, session (config/session.ts, magasin côté serveur : ${store}), shield, auth, layout ; cookie de session réutilisé`,
    },
    {
      name: "(d) page d'accueil /",
      path: '/',
      headers: { cookie: visitor.cookie },
      note: 'rendu Edge complet (gabarits en cache), cookie de session réutilisé',
    },
  ])
  await stop(app.child)
  await fresh.drop()
  rows.push(a, b, c, d)
  // A ratio of an invalid measure is no figure: it stays « non mesuré ».
  const valid = (...measures: BenchFigures[]) => measures.every((row) => !row.non2xx && !row.errors)
  if (valid(b, c)) report('middleware_over_bare', c.requestsPerSecond / b.requestsPerSecond)
  if (valid(b, d)) report('home_over_bare', d.requestsPerSecond / b.requestsPerSecond)
  return { a, b }
}

/** One module scenario: a fresh database, the app restarted on it, then dropped. */
async function runScenario(module: string, scenario: BenchScenario, hashesPerSecondAlone: number, reportFigure: typeof report): Promise<BenchFigures[]> {
  const fresh = await databases.fresh(module + '_' + scenario.name)
  const env = { ...baseEnv, ...fresh.env }
  const app = await startApp(env)
  try {
    const context: BenchContext = {
      appUrl,
      database: fresh.database,
      duration,
      warmup,
      connections,
      env,
      measure: (measureOptions) => measure(measureOptions),
      measureTogether,
      session,
      ace: async (args) => {
        await run([aceEntry, ...args], env)
      },
      log: (message) => console.log(`  ${message}`),
      hashesPerSecondAlone,
      report: reportFigure,
      watchServerMemory: () => watchMemory(app.child.pid!),
      watchServerCpu: () => watchCpu(app.child.pid!),
    }
    const figures = [await scenario.run(context)].flat()
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`l'application s'est arrêtée pendant le scénario (${app.child.exitCode ?? app.child.signalCode}) :\n${app.output()}`)
    }
    return figures.map((row) => ({ ...row, name: row.name.startsWith(module) ? row.name : `${module}: ${row.name}` }))
  } finally {
    await stop(app.child)
    await fresh.drop()
  }
}

/**
 * A `hashBound` scenario runs between two measures of the hash alone, and its `*_over_hashes`
 * figures are divided by the higher of those two: the machine's speed drifts by 10–20 % over a
 * run here, and the baseline of the scenario is the machine's speed while it ran. Other
 * scenarios run as they are.
 */
async function runScenarioBetweenHashes(
  module: string,
  scenario: BenchScenario,
  beforeAll: number,
  aroundScenarios: Array<{ scenario: string; before: number; after: number }>
): Promise<BenchFigures[]> {
  if (!scenario.hashBound) return runScenario(module, scenario, beforeAll, report)
  const before = (await hashBaseline(hashSeconds)).value
  const reported = new Map<string, number>()
  const figures = await runScenario(module, scenario, before, (name, value) => {
    if (name.endsWith('_over_hashes')) reported.set(name, value)
    report(name, value)
  })
  const after = (await hashBaseline(hashSeconds)).value
  const used = Math.max(before, after)
  aroundScenarios.push({ scenario: `${module}: ${scenario.name}`, before, after })
  // The scenario's own lines divided by the measure before it: the figures kept are said here.
  const kept = [...reported].map(([name, value]) => [name, (value * before) / used] as const)
  console.log(
    `  hachage seul autour de « ${module}: ${scenario.name} » : ${before.toFixed(1)} avant, ${after.toFixed(1)} après ; ` +
      `ses rapports « ÷ hachages/s » utilisent le plus élevé (${used.toFixed(1)}/s)` +
      (used !== before ? ` : ${kept.map(([name, value]) => `${name} = ${value.toFixed(2)}`).join(', ')} (et non les rapports ci-dessus)` : '')
  )
  for (const [name, value] of kept) report(name, value)
  return figures
}

async function main() {
  const loadStart = loadavg()
  const cpus = availableParallelism()
  console.log(
    `Banc d'essai : ${duration} s par scénario (+${warmup} s d'échauffement), ${connections} connexions, ` +
      `Node ${process.version}, application NODE_ENV=production sur ${appUrl}, ${databases.describe()}`
  )
  console.log(`Machine : ${cpus} ${cpus > 1 ? 'cœurs' : 'cœur'}, charge moyenne sur 1 min ${loadStart[0].toFixed(2)}`)
  if (loadStart[0] > cpus) console.log('⚠ La machine est déjà chargée : les chiffres seront bas et instables (relancez au calme).')

  await buildApp()
  const before = await hashBaseline(hashSeconds)
  console.log(`Hachage seul (bench/hash_baseline.js ${hashSeconds}), avant : ${before.value.toFixed(1)} hachages/s — ${before.detail}`)
  console.log('Migration de la base modèle…')
  await databases.prepare(baseEnv)

  const rows: BenchFigures[] = []
  console.log('Mesures :')
  const { a, b } = await baselines(rows)
  const aroundScenarios: Array<{ scenario: string; before: number; after: number }> = []
  if (options.moduleScenarios) {
    for (const { module, scenario } of await moduleScenarios(options.modules, options.only)) {
      try {
        rows.push(...(await runScenarioBetweenHashes(module, scenario, before.value, aroundScenarios)))
      } catch (error) {
        console.error(`  ✗ ${module}: ${scenario.name} a échoué : ${(error as Error).message}`)
        process.exitCode = 1
      }
    }
  }
  await databases.cleanup()

  const after = await hashBaseline(hashSeconds)
  // Noise on a shared machine only slows the hash: the higher measure is the closer to its capacity.
  const hashes = Math.max(before.value, after.value, ...aroundScenarios.flatMap((around) => [around.before, around.after]))
  console.log(`Hachage seul, après : ${after.value.toFixed(1)} hachages/s.`)
  report('hashes_per_second_alone', hashes)

  printMeasures(rows, a, b)
  const figureRows = keyFigureRows(keyFigures)
  const broken = printKeyFigures(figureRows)
  const loadEnd = loadavg()
  console.log(`Charge moyenne sur 1 min : ${loadStart[0].toFixed(2)} au début, ${loadEnd[0].toFixed(2)} à la fin.`)
  if (options.json) {
    const path = writeJson(options.json, {
      figures: figuresOf(figureRows),
      machine: { cores: cpus, loadavg_start: loadStart, loadavg_end: loadEnd, node: process.version, date: new Date().toISOString() },
      database: databases.kind,
      hash_baseline: {
        before: before.value,
        after: after.value,
        around_scenarios: aroundScenarios,
        used: 'pour chaque scénario lié au hachage, le plus élevé des mesures juste avant et juste après lui',
      },
      rows: figureRows,
      measures: rows,
    })
    console.log(`Chiffres écrits dans ${path}`)
  }
  const invalid = rows.filter((row) => row.non2xx || row.errors)
  if (invalid.length) {
    console.error(`\n⚠ Chiffres invalides (réponses non-2xx ou erreurs) : ${invalid.map((row) => row.name).join(', ')}`)
    process.exitCode = 1
  }
  if (broken.length) {
    console.error(`\n✗✗ MESURE FAUSSE ✗✗\n${broken.join('\n')}`)
    process.exitCode = 1
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
  .finally(async () => {
    await stopAll()
    process.exit()
  })

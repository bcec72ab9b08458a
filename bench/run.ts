/*
 * `npm run bench`: requests/s and p99 latency of
 *   (a) a raw Node http server, (b) a bare Adonis route (no middleware),
 *   (c) the same route through the web middleware stack, (d) the public home page,
 * then every scenario found in modules/<name>/bench/*.ts. Loopback only, bounded, stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { availableParallelism, loadavg } from 'node:os'
import { Command } from 'commander'
import autocannon from 'autocannon'
import type { BenchContext, BenchFigures, BenchScenario, MeasureOptions } from './types.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

const program = new Command()
  .name('npm run bench --')
  .description('Mesure req/s et latence p99 du portail (boucle locale uniquement).')
  .option('-d, --duration <seconds>', 'durée de mesure par scénario', '5')
  .option('-w, --warmup <seconds>', 'échauffement non mesuré avant chaque scénario', '1')
  .option('-c, --connections <n>', 'connexions simultanées', '10')
  .option('-p, --port <port>', "port de l'application (le serveur Node brut prend port+1)", '4500')
  .option('-m, --modules <list>', "modules activés dans l'application (PORTAL_MODULES ; défaut : tous)")
  .option('--no-module-scenarios', 'ignorer modules/*/bench/*.ts')
  .parse()

const options = program.opts<{
  duration: string
  warmup: string
  connections: string
  port: string
  modules?: string
  moduleScenarios: boolean
}>()
const duration = positive(options.duration, '--duration')
const warmup = Math.max(0, Number(options.warmup) || 0)
const connections = positive(options.connections, '--connections')
const appPort = positive(options.port, '--port')
const rawPort = appPort + 1
const appUrl = `http://127.0.0.1:${appPort}`

function positive(value: string, flag: string) {
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) {
    console.error(`${flag} attend un nombre positif (reçu « ${value} »).`)
    process.exit(2)
  }
  return number
}

const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  // production: Edge caches compiled templates, as on a real portal.
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: String(appPort),
  APP_KEY: 'bench-key-not-secret-0123456789abcdef',
  DB_CONNECTION: 'sqlite',
  SQLITE_PATH: 'tmp/bench.sqlite3',
  STORAGE_PATH: 'tmp/bench-storage',
  MAIL_OUTBOX_PATH: 'tmp/bench-outbox',
  PORTAL_BENCH_ROUTES: '1',
}
for (const key of ['SESSION_DRIVER', 'LIMITER_STORE', 'REDIS_HOST', 'SMTP_HOST', 'DRIVE_DISK']) delete appEnv[key]
if (options.modules !== undefined) appEnv.PORTAL_MODULES = options.modules

const children = new Set<ChildProcess>()

function start(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  child.on('exit', () => children.delete(child))
  return { child, output: () => output, name }
}

/** SIGTERM, then SIGKILL after 5 s: the bench never leaves a server behind nor waits forever. */
function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
const stopAll = () => Promise.all([...children].map(stop))
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopAll().finally(() => process.exit(130))
  })
}

async function waitFor(url: string, server: ReturnType<typeof start>, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} s'est arrêté (code ${server.child.exitCode}) :\n${server.output()}`)
    }
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${server.name} ne répond pas sur ${url} après ${timeoutMs / 1000} s :\n${server.output()}`)
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} a échoué (code ${code}) :\n${output}`))
    )
  })
}

async function measure(scenario: MeasureOptions, baseUrl = appUrl): Promise<BenchFigures> {
  const { name, path, note, connections: ownConnections, ...rest } = scenario
  const url = /^https?:\/\//.test(path) ? path : baseUrl + path
  const common = { ...rest, url, connections: ownConnections ?? connections }
  if (warmup > 0) await autocannon({ ...common, duration: warmup })
  const result = await autocannon({ ...common, duration })
  const figures: BenchFigures = {
    name,
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    average: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    note,
    http: true,
  }
  const invalid = figures.non2xx || figures.errors
  console.log(
    `  ${name}: ${figures.requestsPerSecond.toFixed(0)} req/s, p99 ${figures.p99} ms` +
      (invalid ? ` — ⚠ ${figures.non2xx} réponses non-2xx, ${figures.errors} erreurs` : '')
  )
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

/** modules/<name>/bench/*.ts, except helpers: `_*.ts`, `*_worker.ts`, `*.d.ts`. */
function isScenarioFile(file: string) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('_') && !file.endsWith('_worker.ts')
}

async function moduleScenarios(): Promise<{ module: string; scenario: BenchScenario }[]> {
  const modulesDir = join(ROOT, 'modules')
  if (!existsSync(modulesDir)) return []
  const enabled = options.modules?.split(',').map((name) => name.trim()).filter(Boolean)
  const found: { module: string; scenario: BenchScenario }[] = []
  for (const module of readdirSync(modulesDir).sort()) {
    if (enabled?.length && !enabled.includes(module)) continue
    const dir = join(modulesDir, module, 'bench')
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir).filter(isScenarioFile).sort()) {
      // Workers and helpers may run code at import (boot the app...): only scenario files are imported.
      const source = readFileSync(join(dir, file), 'utf8')
      if (!/export\s+(default|const\s+scenarios?\b)/.test(source)) continue
      let exported: Record<string, any>
      try {
        exported = await import(pathToFileURL(join(dir, file)).href)
      } catch (error) {
        console.error(`  ✗ modules/${module}/bench/${file} ne se charge pas : ${(error as Error).message}`)
        process.exitCode = 1
        continue
      }
      const candidates = [exported.default, exported.scenario, ...(exported.scenarios ?? [])].flat()
      for (const scenario of candidates) {
        if (scenario && typeof scenario.name === 'string' && typeof scenario.run === 'function') {
          found.push({ module, scenario })
        }
      }
    }
  }
  return found
}

function ratio(value: number, base: number | undefined) {
  if (!base) return '—'
  const r = value / base
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)
}

function printTable(rows: BenchFigures[], a?: BenchFigures, b?: BenchFigures) {
  const header = ['scénario', 'req/s', 'p99 ms', 'moy. ms', 'requêtes', 'non-2xx', 'req/s ÷ (a)', 'req/s ÷ (b)', 'p99 ÷ (a)', 'p99 ÷ (b)']
  const lines = rows.map((row) => [
    row.name,
    row.requestsPerSecond.toFixed(0),
    String(row.p99),
    row.average.toFixed(2),
    String(row.requests),
    String(row.non2xx + row.errors),
    ratio(row.requestsPerSecond, row.http ? a?.requestsPerSecond : undefined),
    ratio(row.requestsPerSecond, row.http ? b?.requestsPerSecond : undefined),
    ratio(row.p99, row.http ? a?.p99 : undefined),
    ratio(row.p99, row.http ? b?.p99 : undefined),
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells: string[]) => cells.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')
  console.log('\n' + format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const line of lines) console.log(format(line))
  for (const row of rows.filter((r) => r.note)) console.log(`  ${row.name} : ${row.note}`)
  console.log('  (ratios « — » : ligne qui n\'est pas une mesure HTTP de ctx.measure, ses unités sont dans sa note)')
}

async function main() {
  console.log(
    `Banc d'essai : ${duration} s par scénario (+${warmup} s d'échauffement), ${connections} connexions, ` +
      `Node ${process.version}, application NODE_ENV=production sur ${appUrl}, base ${appEnv.SQLITE_PATH}`
  )
  const load = loadavg()[0]
  const cpus = availableParallelism()
  console.log(`Machine : ${cpus} ${cpus > 1 ? 'cœurs' : 'cœur'}, charge moyenne sur 1 min ${load.toFixed(2)}`)
  if (load > cpus) {
    console.log('⚠ La machine est déjà chargée : les chiffres seront bas et instables (relancez au calme).')
  }
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, 'tmp/bench.sqlite3' + suffix), { force: true })
  console.log('Migration de la base du banc…')
  await run(['ace', 'migration:run', '--force'], appEnv)

  const raw = start('le serveur Node brut', [join(ROOT, 'bench/raw_server.js'), String(rawPort)], process.env)
  const app = start("l'application", ['--import=ts-node-maintained/register/esm', 'bin/server.ts'], appEnv)
  await waitFor(`http://127.0.0.1:${rawPort}/`, raw)
  await waitFor(`${appUrl}/__bench/bare`, app)

  const rows: BenchFigures[] = []
  console.log('Mesures :')
  const a = await measure({ name: '(a) Node http brut', path: '/' }, `http://127.0.0.1:${rawPort}`)
  rows.push(a)
  await stop(raw.child)
  const b = await measure({ name: '(b) route Adonis nue', path: '/__bench/bare' })
  rows.push(b)
  const visitor = await session('/')
  rows.push(
    await measure({
      name: '(c) même route + middleware web',
      path: '/__bench/stack',
      headers: { cookie: visitor.cookie },
      note: 'bodyparser, session (base SQLite), shield, auth, layout ; cookie de session réutilisé',
    })
  )
  rows.push(
    await measure({
      name: "(d) page d'accueil /",
      path: '/',
      headers: { cookie: visitor.cookie },
      note: 'rendu Edge complet (gabarits en cache), cookie de session réutilisé',
    })
  )

  if (options.moduleScenarios) {
    const context: BenchContext = {
      appUrl,
      duration,
      warmup,
      connections,
      env: appEnv,
      measure: (measureOptions) => measure(measureOptions),
      session,
      ace: (args) => run(['ace', ...args], appEnv),
      log: (message) => console.log(`  ${message}`),
    }
    for (const { module, scenario } of await moduleScenarios()) {
      try {
        const figures = await scenario.run(context)
        rows.push(...[figures].flat().map((row) => ({ ...row, name: row.name.startsWith(module) ? row.name : `${module}: ${row.name}` })))
      } catch (error) {
        console.error(`  ✗ ${module}: ${scenario.name} a échoué : ${(error as Error).message}`)
        process.exitCode = 1
      }
    }
  }

  printTable(rows, a, b)
  const invalid = rows.filter((row) => row.non2xx || row.errors)
  if (invalid.length) {
    console.error(`\n⚠ Chiffres invalides (réponses non-2xx ou erreurs) : ${invalid.map((row) => row.name).join(', ')}`)
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

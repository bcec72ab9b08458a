/*
 * accounts in `npm run bench`:
 *   1. mailing activations: N pending accounts (BENCH_ACCOUNTS_MAILS, default 5,000) mailed by
 *      `node ace accounts:send-activations` to a local SMTP sink started here — mails per second,
 *      process boot included;
 *   2. the login rush against its physical limit: logins per second (GET /connexion then POST on
 *      one kept-alive connection, as a browser does) divided by argon2id hashes per second alone (the runner's baseline,
 *      bench/hash_baseline.js): the key figure logins_over_hashes. Measured after a warm-up of
 *      1,200 logins (BENCH_ACCOUNTS_WARMUP; none with -w 0), not counted: bench/warm_up.ts.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import pg from 'pg'
import argon2 from 'argon2'
import { SMTPServer } from 'smtp-server'
import type { BenchContext, BenchFigures, BenchScenario } from '../../../bench/types.js'
import { Browser, csrfOf } from '../../../bench/http_client.js'
import { warmUpBy, warmUpCount } from '../../../bench/warm_up.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PASSWORD = 'Banc-Essai-Connexion-2026'
// config/hash.ts's parameters (the app verifies any argon2 hash, these make it rehash nothing).
const ARGON = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }

/** `count` users named <prefix>0..<prefix>count-1, written straight into the scenario's database. */
async function insertUsers(ctx: BenchContext, prefix: string, count: number, state: 'pending' | 'active', password: string | null) {
  if (ctx.database.kind === 'pg') {
    const client = new pg.Client(ctx.database.connection)
    await client.connect()
    try {
      await client.query('DELETE FROM users WHERE username LIKE $1', [`${prefix}%`])
      await client.query(
        `INSERT INTO users (username, email, full_name, password, role, state, created_at, updated_at)
         SELECT $1 || i, $1 || i || '@bench.exemple.fr', 'Parent ' || i, $2, 'parent', $3, now(), now() FROM generate_series(0, $4 - 1) AS i`,
        [prefix, password, state, count]
      )
    } finally {
      await client.end()
    }
    return
  }
  const db = new Database(ctx.database.path)
  db.pragma('busy_timeout = 5000')
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
  db.prepare('DELETE FROM users WHERE username LIKE ?').run(`${prefix}%`)
  const insert = db.prepare(
    "INSERT INTO users (username, email, full_name, password, role, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'parent', ?, ?, ?)"
  )
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${prefix}${i}`, `${prefix}${i}@bench.exemple.fr`, `Parent ${i}`, password, state, now, now)
  })()
  db.close()
}

async function mailing(ctx: BenchContext): Promise<BenchFigures> {
  const count = Number(process.env.BENCH_ACCOUNTS_MAILS ?? 5000)
  await insertUsers(ctx, 'bench-mail-', count, 'pending', null)
  let received = 0
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        received++
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve))
  const port = (sink.server.address() as { port: number }).port
  const started = performance.now()
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['ace', 'accounts:send-activations'], {
      cwd: ROOT,
      env: { ...ctx.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), NODE_ENV: 'production' },
      stdio: 'ignore',
    })
    child.on('exit', resolve)
  })
  const ms = performance.now() - started
  await new Promise<void>((resolve) => sink.close(() => resolve()))
  const note = `${received}/${count} courriels reçus par le puits SMTP local en ${(ms / 1000).toFixed(1)} s (démarrage de la commande compris), code de sortie ${status}`
  ctx.log(`accounts: ${note}`)
  return { name: 'accounts: envoi des activations (courriels/s)', requestsPerSecond: (received * 1000) / ms, p99: 0, average: ms / Math.max(1, received), requests: received, non2xx: count - received, errors: status === 0 ? 0 : 1, note }
}

async function oneLogin(appUrl: string, username: string): Promise<number> {
  const browser = new Browser()
  try {
    const page = await browser.send(`${appUrl}/connexion`)
    const started = performance.now()
    const response = await browser.send(`${appUrl}/connexion`, {
      method: 'POST',
      form: new URLSearchParams({ _csrf: csrfOf(page.text), username, password: PASSWORD }),
    })
    if (response.status !== 302 || response.location === '/connexion') throw new Error(`login ${username}: ${response.status}`)
    return performance.now() - started
  } finally {
    browser.close()
  }
}

async function logins(ctx: BenchContext): Promise<BenchFigures> {
  const workers = Math.max(4, ctx.connections)
  const hashes = ctx.hashesPerSecondAlone
  // Logins that only warm the server up (bench/warm_up.ts), then the measured ones.
  const warming = warmUpCount(ctx, 'BENCH_ACCOUNTS_WARMUP', 1200)
  // One account checks 5 passwords a minute at most: the rush is of many parents, each once.
  const pool = workers + warming + Math.ceil(hashes * ctx.duration * 2)
  await insertUsers(ctx, 'bench-login-', pool, 'active', await argon2.hash(PASSWORD, ARGON))
  let next = 0
  /** `workers` browsers logging in, each after the other, for `seconds`; each login's latency, and the failures. */
  const loginFor = async (seconds: number) => {
    const latencies: number[] = []
    let errors = 0
    const deadline = performance.now() + seconds * 1000
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (performance.now() < deadline) {
          try {
            latencies.push(await oneLogin(ctx.appUrl, `bench-login-${next++ % pool}`))
          } catch {
            errors++
          }
        }
      })
    )
    return { latencies, errors }
  }
  if (warming) {
    const cpu = await warmUpBy(ctx, warming, workers, () => oneLogin(ctx.appUrl, `bench-login-${next++ % pool}`))
    ctx.log(`accounts: échauffement, ${warming} connexions ; ${cpu}`)
  }
  const cpu = ctx.watchServerCpu()
  const started = performance.now()
  const { latencies, errors } = await loginFor(ctx.duration)
  const perSecond = (latencies.length * 1000) / (performance.now() - started)
  const used = cpu.stop()
  ctx.report('logins_over_hashes', perSecond / hashes)
  const perLogin = (ms: number) => (ms / Math.max(1, latencies.length + errors)).toFixed(1)
  latencies.sort((a, b) => a - b)
  const p99 = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0)
  const note =
    `${perSecond.toFixed(1)} connexions/s ÷ ${hashes.toFixed(1)} hachages argon2id/s seuls (mesurés juste avant ce scénario) = ${(perSecond / hashes).toFixed(2)} (la limite physique est 1) ; ` +
    `CPU par connexion : boucle d'événements ${perLogin(used.mainMs)} ms, fils libuv/hachage ${perLogin(used.poolMs)} ms, ramasse-miettes et compilation ${perLogin(used.otherMs)} ms, générateur de charge ${perLogin(used.clientMs)} ms`
  ctx.log(`accounts: ${note}`)
  return {
    name: 'accounts: connexions (POST /connexion)',
    requestsPerSecond: perSecond,
    p99,
    average: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    requests: latencies.length,
    non2xx: 0,
    errors,
    note,
  }
}

const scenario: BenchScenario = {
  name: 'accounts',
  hashBound: true,
  async run(ctx) {
    return [await mailing(ctx), await logins(ctx)]
  },
}

export default scenario

import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, createServer } from 'node:net'
import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import pg from 'pg'
import app from '@adonisjs/core/services/app'

/*
 * Two app processes, one PostgreSQL database, one Redis: what one process writes in a
 * session or counts in a rate limit, the other sees. The processes run with
 * PORTAL_BENCH_ROUTES=1 (bench/app/routes.ts) for a few test-only routes.
 */

const redisPort = Number(process.env.REDIS_PORT ?? 6379)
const pgConfig = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
}
const database = `portail_famille_scale_${process.pid}`
const BOOT_TIMEOUT_MS = 300_000

function redisReachable() {
  return new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: redisPort })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

async function postgresReachable() {
  const client = new pg.Client({ ...pgConfig, database: 'postgres', connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

async function unreachable() {
  const [redisOk, postgresOk] = await Promise.all([redisReachable(), postgresReachable()])
  const missing = [!redisOk && `Redis (127.0.0.1:${redisPort})`, !postgresOk && `PostgreSQL (${pgConfig.host}:${pgConfig.port})`]
  return missing.filter(Boolean).join(' et ')
}

// On a workstation without the services the tests say so and skip; CI (CI=1) has both, so there they fail.
const missing = await unreachable()
const skipReason = missing && !process.env.CI ? `skipped: ${missing} not reachable` : ''
if (skipReason) console.log(`scaling.spec.ts ${skipReason}`)

async function postgres(sql: string) {
  const client = new pg.Client({ ...pgConfig, database: 'postgres' })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function appEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    APP_KEY: 'scale-test-key-not-secret-0123456789',
    DB_CONNECTION: 'pg',
    DB_HOST: pgConfig.host,
    DB_PORT: String(pgConfig.port),
    DB_USER: pgConfig.user,
    DB_PASSWORD: pgConfig.password,
    DB_DATABASE: database,
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redisPort),
    STORAGE_PATH: 'tmp/scale-storage',
    MAIL_OUTBOX_PATH: 'tmp/scale-outbox',
    PORTAL_BENCH_ROUTES: '1',
  }
  // .env.test pins sessions and limits to memory: the processes must use Redis.
  for (const key of ['SESSION_DRIVER', 'LIMITER_STORE', 'SQLITE_PATH', 'SMTP_HOST']) delete env[key]
  return env
}

function runAce(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...args], { cwd: app.appRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ace ${args.join(' ')} : code ${code}\n${output}`))))
  })
}

interface AppProcess {
  url: string
  child: ChildProcess
  output: () => string
}

async function startApp(name: string): Promise<AppProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'bin/server.ts'], {
    cwd: app.appRoot,
    env: appEnv(port),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  // Booting through the TypeScript loader takes seconds, minutes on a loaded CI machine.
  const started = Date.now()
  while (Date.now() - started < BOOT_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`Le processus ${name} s'est arrêté (code ${child.exitCode}) :\n${output}`)
    const ready = await fetch(`${url}/__bench/bare`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.ok,
      () => false
    )
    if (ready) return { url, child, output: () => output }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`Le processus ${name} ne répond pas sur ${url} après ${BOOT_TIMEOUT_MS / 1000} s :\n${output}`)
}

function stopApp(process_: AppProcess | undefined) {
  const child = process_?.child
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** A cookie jar for plain fetch: name=value pairs, updated by each Set-Cookie. */
class CookieJar {
  #cookies = new Map<string, string>()

  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim())
    }
    return response
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  has(name: string) {
    return this.#cookies.has(name)
  }
}

async function get(url: string, jar?: CookieJar) {
  const response = await fetch(url, { headers: jar ? { cookie: jar.header() } : {}, redirect: 'manual' })
  return jar ? jar.store(response) : response
}

test.group('Scaling: two app processes share PostgreSQL and Redis', (group) => {
  let a: AppProcess | undefined
  let b: AppProcess | undefined

  group.setup(async () => {
    if (skipReason) return
    if (missing) throw new Error(`CI : ${missing} injoignable(s), le test de montée en charge ne peut pas tourner`)
    await postgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await postgres(`CREATE DATABASE ${database}`)
    await runAce(['migration:run', '--force'], appEnv(0))
    ;[a, b] = await Promise.all([startApp('A'), startApp('B')])
  })

  group.teardown(async () => {
    if (skipReason) return
    await Promise.all([stopApp(a), stopApp(b)])
    await postgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  })

  test('a session written on process A is read on process B', async ({ assert }) => {
    const value = randomBytes(8).toString('hex')
    const jar = new CookieJar()

    const written = await get(`${a!.url}/__bench/session?put=${value}`, jar)
    assert.equal(written.status, 200)
    assert.isTrue(jar.has('portail-session'), 'A sets the session cookie')

    const read = await get(`${b!.url}/__bench/session`, jar)
    assert.equal(read.status, 200)
    assert.deepEqual(await read.json(), { value })

    const stranger = await get(`${b!.url}/__bench/session`, new CookieJar())
    assert.deepEqual(await stranger.json(), { value: null }, 'without the cookie, B knows nothing')
  })
    .skip(!!skipReason, skipReason)
    .timeout(120_000)

  test('a form whose CSRF token came from A is accepted by B, refused without it', async ({ assert }) => {
    const jar = new CookieJar()
    const form = await get(`${a!.url}/__bench/form`, jar)
    const { token } = (await form.json()) as { token: string }
    assert.isString(token)

    const post = (body: Record<string, string>) =>
      fetch(`${b!.url}/__bench/form`, {
        method: 'POST',
        headers: { 'cookie': jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
        redirect: 'manual',
      })

    const accepted = await post({ _csrf: token })
    assert.equal(accepted.status, 200)
    assert.deepEqual(await accepted.json(), { accepted: true })

    const refused = await post({})
    assert.equal(refused.status, 419)
  })
    .skip(!!skipReason, skipReason)
    .timeout(120_000)

  test('a rate limit consumed on A is counted on B', async ({ assert }) => {
    const key = randomBytes(8).toString('hex')
    for (let attempt = 1; attempt <= 3; attempt++) {
      const response = await get(`${a!.url}/__bench/throttled?key=${key}`)
      assert.equal(response.status, 200, `attempt ${attempt} on A`)
    }
    const fourth = await get(`${b!.url}/__bench/throttled?key=${key}`)
    assert.equal(fourth.status, 429, 'the fourth attempt, on B, is over the limit of 3')

    const otherKey = await get(`${b!.url}/__bench/throttled?key=${key}-other`)
    assert.equal(otherKey.status, 200, 'another key on B is not limited')
  })
    .skip(!!skipReason, skipReason)
    .timeout(120_000)
})

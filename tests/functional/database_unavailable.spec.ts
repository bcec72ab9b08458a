import { readFileSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { test } from '@japa/runner'
import Database from 'better-sqlite3'
import pg from 'pg'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import { runAce, startServer } from '#tests/helpers/processes'

/*
 * A hung database: the app (a real child process, DB_TIMEOUT=2) answers within a few seconds
 * with the French 503 page instead of making everyone wait, then works again once the
 * database is back.
 */

const onPg = env.get('DB_CONNECTION', 'sqlite') === 'pg'
const PORT = Number(process.env.PORT ?? 3334) + 42
const FRENCH_PAGE = /Le service est momentanément indisponible, réessayez dans quelques instants/
const pgConfig = { host: env.get('DB_HOST', '127.0.0.1'), port: env.get('DB_PORT', 5432), user: env.get('DB_USER', 'postgres'), password: env.get('DB_PASSWORD', '') }

async function timedGet(url: string) {
  const started = Date.now()
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(20_000) })
  return { status: response.status, text: await response.text(), ms: Date.now() - started }
}

/** A TCP relay to PostgreSQL that can go silent: it keeps every socket open and forwards nothing. */
function silentableProxy() {
  const state = { silent: false, sockets: new Set<Socket>() }
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: pgConfig.host, port: pgConfig.port })
    for (const socket of [client, upstream]) {
      state.sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => state.sockets.delete(socket))
    }
    client.on('data', (chunk) => state.silent || upstream.write(chunk))
    upstream.on('data', (chunk) => state.silent || client.write(chunk))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  return {
    state,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))),
    close: () => {
      for (const socket of state.sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

test.group('A hung database', () => {
  test('PostgreSQL, every table locked by another session: the 503 page within seconds, then recovery', async ({ assert, cleanup }) => {
    const server = await startServer({ DB_TIMEOUT: '2' }, PORT)
    cleanup(() => void server.kill())
    const url = `http://127.0.0.1:${PORT}/actualites`
    assert.equal((await timedGet(url)).status, 200)

    const locker = new pg.Client({ ...pgConfig, database: env.get('DB_DATABASE') })
    await locker.connect()
    cleanup(() => locker.end().catch(() => {}))
    const tables = await locker.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    await locker.query('BEGIN')
    await locker.query(`LOCK TABLE ${tables.rows.map((row) => `"${row.tablename}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`)

    const hung = await timedGet(url)
    assert.equal(hung.status, 503)
    assert.match(hung.text, FRENCH_PAGE)
    assert.notMatch(hung.text, /at .*\.(js|ts):\d+/)
    assert.isBelow(hung.ms, 8000)

    await locker.query('ROLLBACK')
    const back = await timedGet(url)
    assert.equal(back.status, 200)
  })
    .skip(!onPg, 'PostgreSQL only (DB_CONNECTION=pg)')
    .timeout(180_000)

  test('PostgreSQL that stops answering (connections open, nothing comes back): the 503 page within seconds, then recovery', async ({ assert, cleanup }) => {
    const proxy = silentableProxy()
    const proxyPort = await proxy.listen()
    cleanup(() => proxy.close())
    const server = await startServer({ DB_TIMEOUT: '2', DB_PORT: String(proxyPort) }, PORT + 1)
    cleanup(() => void server.kill())
    const url = `http://127.0.0.1:${PORT + 1}/actualites`
    assert.equal((await timedGet(url)).status, 200)

    proxy.state.silent = true
    for (const attempt of [1, 2]) {
      const hung = await timedGet(url)
      assert.equal(hung.status, 503, `attempt ${attempt}`)
      assert.match(hung.text, FRENCH_PAGE)
      assert.isBelow(hung.ms, 8000, `attempt ${attempt}`)
    }

    proxy.state.silent = false
    const back = await timedGet(url)
    assert.equal(back.status, 200)
  })
    .skip(!onPg, 'PostgreSQL only (DB_CONNECTION=pg)')
    .timeout(180_000)

  test('SQLite, the write lock held by another process beyond the timeout: the 503 page, not a 500, then recovery', async ({ assert, cleanup }) => {
    const database = app.tmpPath(`held-lock-${process.pid}.sqlite3`)
    const loginsFile = app.tmpPath(`held-lock-${process.pid}.json`)
    cleanup(() => {
      for (const file of [database, `${database}-wal`, `${database}-shm`, loginsFile]) rmSync(file, { force: true })
    })
    const childEnv = { DB_CONNECTION: 'sqlite', SQLITE_PATH: database, DB_TIMEOUT: '2' }
    for (const step of [['migration:run', '--force'], ['planning:bench-rush', '--parents=1', '--places=5', `--file=${loginsFile}`]]) {
      // planning:bench-rush is a bench command: PORTAL_BENCH_ROUTES=1 loads it.
      const result = runAce(step, { ...childEnv, PORTAL_BENCH_ROUTES: '1' })
      assert.equal(result.status, 0, result.output)
    }
    const data = JSON.parse(readFileSync(loginsFile, 'utf8')) as { password: string; month: string; dayIds: number[]; logins: { username: string; childId: number }[] }
    const server = await startServer(childEnv, PORT + 2)
    cleanup(() => void server.kill())
    const parent = new CookieAgent({ base: `http://127.0.0.1:${PORT + 2}` })
    assert.equal((await parent.post('/connexion', { username: data.logins[0].username, password: data.password })).status, 302)
    const planning = `/planning?vue=mois&date=${data.month}`
    const item = `${data.logins[0].childId}-${data.dayIds[0]}`
    const book = () => parent.post('/planning', { vue: 'mois', date: data.month, action: 'apply', shown: [item], selected: [item] }, planning)

    const holder = new Database(database)
    cleanup(() => void holder.close())
    holder.exec('BEGIN IMMEDIATE')
    const started = Date.now()
    const refused = await book()
    const elapsed = Date.now() - started
    holder.exec('ROLLBACK')
    assert.equal(refused.status, 503)
    assert.match(refused.text, FRENCH_PAGE)
    assert.isBelow(elapsed, 8000)
    assert.equal((holder.prepare('SELECT count(*) AS total FROM planning_bookings').get() as { total: number }).total, 0)

    assert.equal((await book()).status, 302)
    assert.equal((holder.prepare('SELECT count(*) AS total FROM planning_bookings').get() as { total: number }).total, 1)
  })
    .skip(onPg, 'SQLite only (the PostgreSQL cases are above)')
    .timeout(180_000)
})

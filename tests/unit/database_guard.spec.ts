import { test } from '@japa/runner'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { busyPollGap, isDatabaseUnavailable, retryWhenBusy, yieldWriteLock } from '#core/database_guard'

/**
 * In a thread of its own (SQLite's busy handler blocks its thread): opens the file, waits up to
 * 5 s for the write lock as the app does, and says when it got it (performance.timeOrigin + now).
 */
const WAITER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 5000')
parentPort.postMessage({ waiting: performance.timeOrigin + performance.now() })
db.exec('BEGIN IMMEDIATE')
const at = performance.timeOrigin + performance.now()
db.exec('INSERT INTO t (v) VALUES (2)')
db.exec('COMMIT')
db.close()
parentPort.postMessage({ locked: at })
`

function failure(message: string, props: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), props)
}

test.group('Database guard', () => {
  test('busy, hung or unreachable databases are told apart from real bugs', ({ assert }) => {
    const unavailable = [
      failure('BEGIN IMMEDIATE; - database is locked', { code: 'SQLITE_BUSY' }),
      failure('insert into `families` ... - database is locked', { code: 'SQLITE_BUSY_SNAPSHOT' }),
      failure('Knex: Timeout acquiring a connection. The pool is probably full.', { name: 'KnexTimeoutError' }),
      failure('select 1 - canceling statement due to statement timeout', { code: '57014' }),
      failure('select 1 - canceling statement due to lock timeout', { code: '55P03' }),
      failure('select count(*) as "total" from "news_articles" - Query read timeout'),
      failure('timeout expired'),
      failure('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
      failure('wrapped', { cause: failure('Connection terminated unexpectedly') }),
    ]
    for (const error of unavailable) assert.isTrue(isDatabaseUnavailable(error), error.message)

    const bugs = [
      failure('insert into "planning_bookings" - duplicate key value violates unique constraint', { code: '23505' }),
      failure('UNIQUE constraint failed: users.email', { code: 'SQLITE_CONSTRAINT_UNIQUE' }),
      failure('select * from "nothing" - relation "nothing" does not exist', { code: '42P01' }),
      failure('Cannot read properties of undefined (reading \'id\')'),
      failure('the statement timeout was discussed in this message'),
    ]
    for (const error of bugs) assert.isFalse(isDatabaseUnavailable(error), error.message)
    assert.isFalse(isDatabaseUnavailable(null))
  })

  test('a busy unit of work is run again, a real error is not', async ({ assert }) => {
    let calls = 0
    const result = await retryWhenBusy(async () => {
      calls++
      if (calls < 3) throw failure('database is locked', { code: 'SQLITE_BUSY' })
      return 'écrit'
    })
    assert.equal(result, 'écrit')
    assert.equal(calls, 3)

    let tries = 0
    await assert.rejects(
      () =>
        retryWhenBusy(async () => {
          tries++
          throw failure('UNIQUE constraint failed', { code: 'SQLITE_CONSTRAINT_UNIQUE' })
        }),
      /UNIQUE/
    )
    assert.equal(tries, 1)

    let always = 0
    await assert.rejects(
      () =>
        retryWhenBusy(async () => {
          always++
          throw failure('database is locked', { code: 'SQLITE_BUSY' })
        }, 2),
      /locked/
    )
    assert.equal(always, 2)
  })

  test("SQLite's busy handler: how long a waiting writer sleeps before it tries again", ({ assert }) => {
    assert.equal(busyPollGap(0), 1)
    assert.equal(busyPollGap(2), 2)
    assert.equal(busyPollGap(60), 25)
    assert.equal(busyPollGap(150), 50)
    assert.equal(busyPollGap(250), 100)
    assert.equal(busyPollGap(60_000), 100)
  })

  test('a writer waiting while a batch holds the lock gets it during the pause that follows', async ({ assert, cleanup }) => {
    const file = join(tmpdir(), `yield-write-lock-${process.pid}.sqlite3`)
    cleanup(() => ['', '-wal', '-shm'].forEach((suffix) => rmSync(file + suffix, { force: true })))
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE IF NOT EXISTS t (v INTEGER)')
    for (const heldMs of [40, 150, 300]) {
      db.exec('BEGIN IMMEDIATE')
      const waiter = new Worker(WAITER, { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') } })
      const locked = new Promise<number>((resolve, reject) => {
        waiter.on('message', (message) => message.locked && resolve(message.locked))
        waiter.on('error', reject)
      })
      await new Promise<void>((resolve) => waiter.once('message', () => resolve()))
      // The batch: the lock is held while the waiter's busy handler sleeps longer and longer.
      await sleep(heldMs)
      db.exec('INSERT INTO t (v) VALUES (1)')
      db.exec('COMMIT')
      await yieldWriteLock('better-sqlite3', heldMs)
      const pauseEnded = performance.timeOrigin + performance.now()
      assert.isBelow(await locked, pauseEnded, `lock held ${heldMs} ms: the waiter got in during the pause`)
      await waiter.terminate()
    }
    db.close()
  })
})

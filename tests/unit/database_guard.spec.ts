import { test } from '@japa/runner'
import { isDatabaseUnavailable, retryWhenBusy } from '#core/database_guard'

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
})

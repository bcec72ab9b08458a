import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { directRead, listOf } from '#core/direct_sql'
import { insertMany, type InsertRow } from '#core/bulk_insert'
import { setTimeout as sleep } from 'node:timers/promises'
import { queriesDuring } from '#tests/helpers/query_log'

const onSqlite = db.connection().dialect.name !== 'postgres'

/** Rows of a table made for the test, the same on SQLite and PostgreSQL. */
async function seedRows() {
  await db.rawQuery('create table if not exists direct_read_rows (id integer primary key, label varchar(20), flag boolean, at bigint)')
  await db.table('direct_read_rows').multiInsert([
    { id: 1, label: 'un', flag: true, at: 1_000 },
    { id: 2, label: 'deux', flag: false, at: 2_000 },
    { id: 3, label: 'trois', flag: true, at: 3_000 },
  ])
}

test.group('Direct reads', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('answer the same rows as the query builder, with ? bindings (numbers, booleans, text)', async ({ assert }) => {
    await seedRows()
    const ids = [1, 3]
    const direct = await directRead<{ id: number; label: string }>(
      'select id, label from direct_read_rows where id in (?) and flag = ? and at < ? order by id',
      [listOf(ids), true, 5_000]
    )
    const built = await db.from('direct_read_rows').whereIn('id', ids).where('flag', true).where('at', '<', 5_000).select('id', 'label').orderBy('id')
    assert.deepEqual(direct.map((row) => ({ ...row, id: Number(row.id) })), built.map((row) => ({ ...row, id: Number(row.id) })))
    assert.deepEqual(direct.map((row) => row.label), ['un', 'trois'])
    assert.deepEqual(await directRead('select id from direct_read_rows where label = ?', ['aucun']), [])
  })

  test("see the transaction's own rows (the global transaction of the tests), and are counted as queries", async ({ assert }) => {
    await seedRows()
    const statements = await queriesDuring(async () => {
      const rows = await directRead<{ total: number | string }>('select count(*) as total from direct_read_rows')
      assert.equal(Number(rows[0].total), 3)
    })
    assert.deepEqual(statements, ['select count(*) as total from direct_read_rows'])
  })

  test('a list fills an `in (?)` with any number of values, empty included, beside other bindings', async ({ assert }) => {
    await seedRows()
    const labels = (ids: number[]) =>
      directRead<{ label: string }>('select label from direct_read_rows where at > ? and id in (?) and flag = ? order by id', [0, listOf(ids), true]).then(
        (rows) => rows.map((row) => row.label)
      )
    assert.deepEqual(await labels([]), [])
    assert.deepEqual(await labels([3]), ['trois'])
    assert.deepEqual(await labels([1, 2, 3]), ['un', 'trois'])
    assert.deepEqual(await labels([3, 1, 99]), ['un', 'trois'])
    const byText = await directRead<{ id: number | string }>('select id from direct_read_rows where label in (?) order by id', [listOf(['deux', 'trois'])])
    assert.deepEqual(byText.map((row) => Number(row.id)), [2, 3])
    // past SQLite's 32,766 placeholders a statement: one JSON array there, one array on PostgreSQL
    const many = Array.from({ length: 40_000 }, (_, at) => at + 2)
    assert.deepEqual(await labels(many), ['trois'])
    const manyTexts = await directRead<{ id: number | string }>('select id from direct_read_rows where label in (?)', [listOf([...many.map(String), 'un'])])
    assert.deepEqual(manyTexts.map((row) => Number(row.id)), [1])
    // a list anywhere else than `in (?)` is a mistake of the caller, said at once
    await assert.rejects(() => directRead('select id from direct_read_rows where id = ?', [listOf([1])]), /in \(\?\)/)
  })

  test('on PostgreSQL, lists of every length share one named statement', async ({ assert }) => {
    await seedRows()
    for (const ids of [[1], [1, 2], [1, 2, 3], [3, 2, 1, 4]]) {
      await directRead('select id from direct_read_rows where id in (?) and flag = ?', [listOf(ids), true])
    }
    // the global transaction's connection, where the reads above ran
    const prepared = await directRead<{ statement: string }>(
      "select statement from pg_prepared_statements where statement like 'select id from direct_read_rows where id%'"
    )
    assert.deepEqual(
      prepared.map((row) => row.statement),
      ['select id from direct_read_rows where id = any($1) and flag = $2']
    )
  }).skip(onSqlite, 'PostgreSQL only (SQLite has no named statements)')

  test('insertMany writes few and many rows, with their returned ids in order, and a missing column as NULL', async ({ assert }) => {
    await db.rawQuery('create table if not exists direct_insert_rows (id integer primary key, label varchar(20), flag boolean)')
    for (const count of [1, 3, 201, 1_250]) {
      await db.from('direct_insert_rows').delete()
      const rows = Array.from({ length: count }, (_, at): InsertRow => {
        const row: InsertRow = { id: at + 1, label: `l${at + 1}` }
        if (at % 2) row.flag = true
        return row
      })
      const statements = await queriesDuring(async () => {
        const returned = await insertMany(db.connection(), 'direct_insert_rows', rows, ['id'])
        assert.deepEqual(returned.map((row) => Number(row.id)), rows.map((row) => row.id))
      })
      assert.isAtMost(statements.length, 2, `${count} rows: one statement a thousand rows (or one compiled statement on SQLite)`)
      const written = await db.from('direct_insert_rows').orderBy('id').select('id', 'label', 'flag')
      assert.lengthOf(written, count)
      assert.equal(written[count - 1].label, `l${count}`)
      assert.isNull(written[0].flag)
      if (count > 1) assert.isTrue(Boolean(written[1].flag))
    }
  })

})

test.group('Direct reads outside a transaction', () => {
  test('a wrong statement fails as the database says, and its connection goes back to the pool', async ({ assert }) => {
    // More failures than the pool has connections (1 on SQLite, 10 on PostgreSQL): a connection
    // kept after a failure would leave the last read waiting.
    for (let attempt = 0; attempt < 12; attempt++) {
      await assert.rejects(() => directRead('select nothing from no_such_table'))
    }
    const rows = await directRead<{ answer: number | string }>('select 1 + 1 as answer')
    assert.equal(Number(rows[0].answer), 2)
  })

  test('a statement kept by the connections still answers after its table changed (a migration under a running app)', async ({ assert }) => {
    await db.rawQuery('drop table if exists direct_sql_migrated')
    await db.rawQuery('create table direct_sql_migrated (id integer primary key)')
    try {
      await db.table('direct_sql_migrated').insert({ id: 1 })
      // Every pooled connection keeps the statement (12 reads, more than PostgreSQL's 10 connections)…
      const reads = () => Promise.all(Array.from({ length: 12 }, () => directRead('select * from direct_sql_migrated')))
      for (const rows of await reads()) assert.deepEqual(rows.map((row) => Object.keys(row)), [['id']])
      // …then its rows change shape: `select *` must give the new column, not fail.
      await db.rawQuery('alter table direct_sql_migrated add column label varchar(20)')
      for (const rows of await reads()) assert.deepEqual(rows.map((row) => Object.keys(row).sort()), [['id', 'label']])
    } finally {
      await db.rawQuery('drop table if exists direct_sql_migrated')
    }
  })

  test("never sees another transaction's rows before its commit; on SQLite, waits for it", async ({ assert }) => {
    await db.rawQuery('drop table if exists direct_sql_pending')
    await db.rawQuery('create table direct_sql_pending (id integer primary key)')
    try {
      let holding!: () => void
      let release!: () => void
      const inside = new Promise<void>((resolve) => (holding = resolve))
      const released = new Promise<void>((resolve) => (release = resolve))
      const transaction = db.transaction(async (trx) => {
        await trx.table('direct_sql_pending').insert({ id: 1 })
        holding()
        await released
      })
      await inside
      const reading = directRead<{ total: number | string }>('select count(*) as total from direct_sql_pending')
      const early = await Promise.race([reading, sleep(100).then(() => 'waiting' as const)])
      release()
      await transaction
      if (onSqlite) {
        // one connection, held by the transaction: the read waits, then sees the committed row
        assert.equal(early, 'waiting')
        assert.equal(Number((await reading)[0].total), 1)
      } else {
        assert.notEqual(early, 'waiting')
        assert.equal(Number((await reading)[0].total), 0)
      }
    } finally {
      await db.rawQuery('drop table if exists direct_sql_pending')
    }
  })

  test('on SQLite, a statement runs on the idle connection without going through the pool again', async ({ assert }) => {
    const knexClient = (db.connection().getReadClient() as any).client
    const acquire = knexClient.acquireConnection
    let acquired = 0
    knexClient.acquireConnection = function (...args: unknown[]) {
      acquired++
      return acquire.apply(this, args)
    }
    try {
      await directRead('select 1 as one')
      acquired = 0
      for (let read = 0; read < 5; read++) await directRead('select 1 as one')
      assert.equal(acquired, 0)
      // while a transaction holds the connection, a read waits for it through the pool
      let reading: Promise<unknown> | null = null
      await db.transaction(async () => {
        acquired = 0
        reading = directRead('select 1 as one')
        await sleep(20)
        assert.equal(acquired, 1)
      })
      assert.deepEqual(await reading, [{ one: 1 }])
    } finally {
      knexClient.acquireConnection = acquire
    }
  }).skip(!onSqlite, 'SQLite only (PostgreSQL takes a connection from its pool for each statement)')
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { directRead, placeholders } from '#core/direct_sql'
import { queriesDuring } from '#tests/helpers/query_log'

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
      `select id, label from direct_read_rows where id in (${placeholders(ids.length)}) and flag = ? and at < ? order by id`,
      [...ids, true, 5_000]
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
})

import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { test } from '@japa/runner'
import pg from 'pg'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { APP_ROOT, runAce } from '#tests/helpers/processes'

/*
 * docs/PRODUCTION.md, "From SQLite to PostgreSQL": the demo commune on SQLite, copied by
 * scripts/sqlite_to_postgres.js into a freshly migrated PostgreSQL, has the same row counts;
 * a second copy is refused. Needs a PostgreSQL server (the one of DB_HOST), whatever the suite's database.
 */

const server = { host: env.get('DB_HOST', '127.0.0.1'), port: env.get('DB_PORT', 5432), user: env.get('DB_USER', 'postgres'), password: env.get('DB_PASSWORD', '') }
const target = `${env.get('DB_DATABASE', 'portail_famille_test')}_move`

async function onServer(sql: string) {
  const client = new pg.Client({ ...server, database: 'postgres' })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

const reachable = await onServer('SELECT 1').then(
  () => true,
  () => false
)

test.group('From SQLite to PostgreSQL', () => {
  test('the demo commune is copied with the same row counts, once', async ({ assert, cleanup }) => {
    const file = app.tmpPath(`move-${process.pid}.sqlite3`)
    cleanup(() => {
      for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true })
    })
    const onSqlite = { DB_CONNECTION: 'sqlite', SQLITE_PATH: file }
    for (const step of [['migration:run', '--force'], ['portal:demo']]) {
      const result = runAce(step, onSqlite)
      assert.equal(result.status, 0, result.output)
    }

    await onServer(`DROP DATABASE IF EXISTS "${target}"`)
    await onServer(`CREATE DATABASE "${target}"`)
    cleanup(() => onServer(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`))
    const onPg = { DB_CONNECTION: 'pg', DB_HOST: server.host, DB_PORT: String(server.port), DB_USER: server.user, DB_PASSWORD: server.password, DB_DATABASE: target }
    const migrated = runAce(['migration:run', '--force'], onPg)
    assert.equal(migrated.status, 0, migrated.output)

    const copy = () => spawnSync(process.execPath, ['scripts/sqlite_to_postgres.js', file], { cwd: APP_ROOT, env: { ...process.env, ...onPg }, encoding: 'utf8' })
    const first = copy()
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /^Copie terminée : \d+ tables, \d+ lignes, mêmes comptes dans les deux bases\.\n$/)

    const client = new pg.Client({ ...server, database: target })
    await client.connect()
    cleanup(() => client.end())
    const { rows } = await client.query<{ users: number }>("SELECT count(*)::int AS users FROM users WHERE state = 'active'")
    assert.isAbove(rows[0].users, 0)
    // The sequences continue after the copied ids.
    const next = await client.query<{ id: number }>("INSERT INTO audit_logs (action, created_at) VALUES ('test', now()) RETURNING id::int AS id")
    const highest = await client.query<{ id: number | null }>("SELECT max(id)::int AS id FROM audit_logs WHERE action <> 'test'")
    assert.isAbove(next.rows[0].id, highest.rows[0].id ?? 0)

    const second = copy()
    assert.equal(second.status, 1)
    assert.match(second.stderr, /^La base PostgreSQL n'est pas vide \(table \w+\) : la copie se fait dans une base qui vient d'être migrée\.\n$/)
  })
    .skip(!reachable, 'needs a PostgreSQL server')
    .timeout(180_000)
})

import { rm } from 'node:fs/promises'
import pg from 'pg'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'

/**
 * Tests never touch the development database: SQLite uses tmp/test.sqlite3, PostgreSQL a
 * dedicated database (DB_DATABASE from .env.test), both rebuilt from scratch at each run.
 */
export async function prepareTestDatabase() {
  if (env.get('DB_CONNECTION', 'sqlite') === 'sqlite') {
    const file = env.get('SQLITE_PATH') ?? app.tmpPath('test.sqlite3')
    for (const suffix of ['', '-wal', '-shm']) await rm(app.makePath(file) + suffix, { force: true })
  } else {
    await recreatePostgresDatabase(env.get('DB_DATABASE', 'portail_famille_test'))
  }
  await testUtils.db().migrate()
}

/** A PostgreSQL database of that name, new and empty (or only dropped, when create is false). */
export async function recreatePostgresDatabase(name: string, create = true) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Nom de base de test invalide : ${name}`)
  const client = new pg.Client({
    host: env.get('DB_HOST', '127.0.0.1'),
    port: env.get('DB_PORT', 5432),
    user: env.get('DB_USER', 'postgres'),
    password: env.get('DB_PASSWORD', ''),
    database: 'postgres',
  })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    if (create) await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
}

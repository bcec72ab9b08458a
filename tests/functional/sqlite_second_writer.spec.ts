import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { test } from '@japa/runner'
import Database from 'better-sqlite3'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import { runAce, spawnAce, startServer } from '#tests/helpers/processes'

/*
 * SQLite with a second writer: the app (a real child process) serves 10 parents who book and
 * cancel days in a loop while `node ace families:import` writes thousands of families into the
 * same file. No parent may get a 500 (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT), the import must finish.
 */

const onSqlite = env.get('DB_CONNECTION', 'sqlite') === 'sqlite'
const skipReason = onSqlite ? '' : 'SQLite only: on PostgreSQL writers wait on row locks, there is no database-wide write lock'
const PORT = Number(process.env.PORT ?? 3334) + 41
const FAMILIES = 2000

function familiesCsv(run: string) {
  const lines = ['famille_ref;responsable1_nom;responsable1_prenom;responsable1_email;enfant_ref;enfant_nom;enfant_prenom;enfant_date_naissance']
  for (let n = 1; n <= FAMILIES; n++) {
    lines.push(`C${run}-${n};Famille${n};Parent;parent.${run}.${n}@exemple.fr;E1;Famille${n};Enfant;2016-05-${String((n % 28) + 1).padStart(2, '0')}`)
  }
  return lines.join('\n') + '\n'
}

test.group('SQLite: a command writes while parents book', (group) => {
  const run = Date.now().toString(36)
  const database = app.tmpPath(`second-writer-${process.pid}.sqlite3`)
  const loginsFile = app.tmpPath(`second-writer-${process.pid}.json`)
  const csvFile = app.tmpPath(`second-writer-${process.pid}.csv`)
  const childEnv = { DB_CONNECTION: 'sqlite', SQLITE_PATH: database }

  group.each.teardown(() => {
    for (const file of [database, `${database}-wal`, `${database}-shm`, loginsFile, csvFile]) rmSync(file, { force: true })
  })

  test('10 parents book and cancel during families:import: no 500, the import completes', async ({ assert, cleanup }) => {
    for (const step of [['migration:run', '--force'], ['planning:bench-rush', '--parents=10', '--places=50', `--file=${loginsFile}`]]) {
      // planning:bench-rush is a bench command: PORTAL_BENCH_ROUTES=1 loads it.
      const result = runAce(step, { ...childEnv, PORTAL_BENCH_ROUTES: '1' })
      assert.equal(result.status, 0, result.output)
    }
    const data = JSON.parse(readFileSync(loginsFile, 'utf8')) as { password: string; month: string; dayIds: number[]; logins: { username: string; childId: number }[] }
    writeFileSync(csvFile, familiesCsv(run))

    const server = await startServer(childEnv, PORT)
    cleanup(() => void server.kill())
    const base = `http://127.0.0.1:${PORT}`
    const parents = await Promise.all(
      data.logins.map(async (login) => {
        const agent = new CookieAgent({ base })
        const response = await agent.post('/connexion', { username: login.username, password: data.password })
        assert.equal(response.status, 302, `connexion de ${login.username}`)
        return { agent, items: data.dayIds.map((dayId) => `${login.childId}-${dayId}`) }
      })
    )

    let importing = true
    const imported = spawnAce(['families:import', csvFile], childEnv).finally(() => (importing = false))
    const statuses: number[] = []
    let duringImport = 0
    const planning = `/planning?vue=mois&date=${data.month}`
    await Promise.all(
      parents.map(async ({ agent, items }) => {
        for (let round = 0; importing || round < 2; round++) {
          const form = { vue: 'mois', date: data.month, action: 'apply', shown: items, selected: round % 2 ? [] : items }
          const response = await agent.post('/planning', form, planning)
          statuses.push(response.status)
          if (importing) duringImport++
          if (response.status >= 500) console.log(response.text.slice(0, 2000))
        }
      })
    )
    const result = await imported

    assert.equal(result.status, 0, result.output)
    assert.isAbove(duringImport, 20, 'the parents booked while the import ran')
    assert.deepEqual([...new Set(statuses)], [302], `statuts : ${statuses.filter((status) => status !== 302).join(', ')}`)

    const file = new Database(database, { readonly: true })
    try {
      const families = file.prepare('SELECT count(*) AS total FROM families WHERE reference LIKE ?').get(`C${run}-%`) as { total: number }
      assert.equal(families.total, FAMILIES)
      const booked = file.prepare('SELECT count(*) AS total FROM planning_bookings').get() as { total: number }
      const counters = file.prepare('SELECT sum(booked_under6 + booked_over6) AS total FROM activity_days').get() as { total: number }
      assert.equal(counters.total, booked.total, 'every counter equals its booking rows')
      const history = file.prepare("SELECT count(*) AS total FROM family_history_entries WHERE module = 'planning' AND kind = 'booking'").get() as { total: number }
      // One history line per basket: 10 parents, and more than one booking round for some of them.
      assert.isAbove(history.total, 10, 'bookings were really written, more than one round')
    } finally {
      file.close()
    }
  })
    .skip(!onSqlite, skipReason)
    .timeout(600_000)
})

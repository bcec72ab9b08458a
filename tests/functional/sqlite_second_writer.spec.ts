import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { DateTime } from 'luxon'
import Database from 'better-sqlite3'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import { runAce, spawnAce, startServer } from '#tests/helpers/processes'

/*
 * SQLite with a second writer: the app (a real child process) serves 10 parents who book and
 * cancel days in a loop while a command writes into the same file — `node ace families:import`
 * writing thousands of families, or `planning:remind` writing hundreds of notices whose mails the
 * web server sends meanwhile. No parent may get a 500 (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT), the
 * command must finish, and each mail leaves once.
 */

const onSqlite = env.get('DB_CONNECTION', 'sqlite') === 'sqlite'
const skipReason = onSqlite ? '' : 'SQLite only: on PostgreSQL writers wait on row locks, there is no database-wide write lock'
const PORT = Number(process.env.PORT ?? 3334) + 41
const FAMILIES = 2000
/** Families registered to the activity, beyond the 10 who book: planning:remind writes to each. */
const REMINDED_FAMILIES = 600

type Seeded = { password: string; month: string; dayIds: number[]; logins: { username: string; childId: number }[] }

function familiesCsv(run: string) {
  const lines = ['famille_ref;responsable1_nom;responsable1_prenom;responsable1_email;enfant_ref;enfant_nom;enfant_prenom;enfant_date_naissance']
  for (let n = 1; n <= FAMILIES; n++) {
    lines.push(`C${run}-${n};Famille${n};Parent;parent.${run}.${n}@exemple.fr;E1;Famille${n};Enfant;2016-05-${String((n % 28) + 1).padStart(2, '0')}`)
  }
  return lines.join('\n') + '\n'
}

/**
 * Booking and cancelling the same days, round after round, while `phase()` names what else is
 * going on (then at least 2 rounds each): every answer's status, and the rounds of each phase.
 */
async function bookInRounds(parents: Array<{ agent: CookieAgent; items: string[] }>, month: string, phase: () => string | null) {
  const statuses: number[] = []
  const rounds = new Map<string, number>()
  const planning = `/planning?vue=mois&date=${month}`
  await Promise.all(
    parents.map(async ({ agent, items }) => {
      for (let round = 0; ; round++) {
        const during = phase()
        if (!during && round >= 2) break
        const form = { vue: 'mois', date: month, action: 'apply', shown: items, selected: round % 2 ? [] : items }
        const response = await agent.post('/planning', form, planning)
        statuses.push(response.status)
        if (during) rounds.set(during, (rounds.get(during) ?? 0) + 1)
        if (response.status >= 500) console.log(response.text.slice(0, 2000))
      }
    })
  )
  return { statuses, rounds }
}

/** Every day's counter equals its booking rows (no booking lost or counted twice). */
function assertCountersMatch(assert: Assert, file: Database.Database) {
  const booked = file.prepare('SELECT count(*) AS total FROM planning_bookings').get() as { total: number }
  const counters = file.prepare('SELECT sum(booked_under6 + booked_over6) AS total FROM activity_days').get() as { total: number }
  assert.equal(counters.total, booked.total, 'every counter equals its booking rows')
}

test.group('SQLite: a command writes while parents book', (group) => {
  const run = Date.now().toString(36)
  const database = app.tmpPath(`second-writer-${process.pid}.sqlite3`)
  const loginsFile = app.tmpPath(`second-writer-${process.pid}.json`)
  const csvFile = app.tmpPath(`second-writer-${process.pid}.csv`)
  const childEnv = { DB_CONNECTION: 'sqlite', SQLITE_PATH: database }

  const outbox = app.tmpPath(`second-writer-outbox-${process.pid}`)
  group.each.teardown(() => {
    for (const file of [database, `${database}-wal`, `${database}-shm`, loginsFile, csvFile]) rmSync(file, { force: true })
    rmSync(outbox, { recursive: true, force: true })
  })

  /**
   * The file migrated and seeded with `families` registered to one activity and the commune's
   * service (notices are written in its name), the server started, 10 of the parents signed in.
   */
  async function tenParentsSignedIn(assert: Assert, cleanup: (fn: () => void) => void, families: number, serverEnv: Record<string, string> = {}) {
    for (const step of [['migration:run', '--force'], ['planning:bench-rush', `--parents=${families}`, '--places=50', `--file=${loginsFile}`]]) {
      // planning:bench-rush is a bench command: PORTAL_BENCH_ROUTES=1 loads it.
      const result = runAce(step, { ...childEnv, PORTAL_BENCH_ROUTES: '1' })
      assert.equal(result.status, 0, result.output)
    }
    const seeding = new Database(database)
    seeding.prepare("INSERT INTO services (name, position, created_at, updated_at) VALUES ('Service Enfance', 0, datetime('now'), datetime('now'))").run()
    seeding.close()
    const data = JSON.parse(readFileSync(loginsFile, 'utf8')) as Seeded
    const server = await startServer({ ...childEnv, ...serverEnv }, PORT)
    cleanup(() => void server.kill())
    const base = `http://127.0.0.1:${PORT}`
    const parents = await Promise.all(
      data.logins.slice(0, 10).map(async (login) => {
        const agent = new CookieAgent({ base })
        const response = await agent.post('/connexion', { username: login.username, password: data.password })
        assert.equal(response.status, 302, `connexion de ${login.username}`)
        return { agent, items: data.dayIds.map((dayId) => `${login.childId}-${dayId}`) }
      })
    )
    return { data, parents, server }
  }

  test('10 parents book and cancel during families:import: no 500, the import completes', async ({ assert, cleanup }) => {
    const { data, parents } = await tenParentsSignedIn(assert, cleanup, 10)
    writeFileSync(csvFile, familiesCsv(run))

    let importing = true
    const imported = spawnAce(['families:import', csvFile], childEnv).finally(() => (importing = false))
    const { statuses, rounds } = await bookInRounds(parents, data.month, () => (importing ? 'import' : null))
    const result = await imported

    assert.equal(result.status, 0, result.output)
    assert.isAbove(rounds.get('import') ?? 0, 20, 'the parents booked while the import ran')
    assert.deepEqual([...new Set(statuses)], [302], `statuts : ${statuses.filter((status) => status !== 302).join(', ')}`)

    const file = new Database(database, { readonly: true })
    try {
      const families = file.prepare('SELECT count(*) AS total FROM families WHERE reference LIKE ?').get(`C${run}-%`) as { total: number }
      assert.equal(families.total, FAMILIES)
      assertCountersMatch(assert, file)
      const history = file.prepare("SELECT count(*) AS total FROM family_history_entries WHERE module = 'planning' AND kind = 'booking'").get() as { total: number }
      // One history line per basket: 10 parents, and more than one booking round for some of them.
      assert.isAbove(history.total, 10, 'bookings were really written, more than one round')
    } finally {
      file.close()
    }
  })
    .skip(!onSqlite, skipReason)
    .timeout(600_000)

  test('planning:remind writes 600 notices while 10 parents book, and the web server mails them meanwhile: no 500, each mail once', async ({ assert, cleanup }) => {
    mkdirSync(outbox, { recursive: true })
    const { data, parents, server } = await tenParentsSignedIn(assert, cleanup, REMINDED_FAMILIES, { MAIL_OUTBOX_PATH: outbox })
    const file = new Database(database, { readonly: true })
    cleanup(() => void file.close())
    const waiting = () => (file.prepare('SELECT count(*) AS total FROM mail_queue').get() as { total: number }).total

    // Ten days before the seeded month: its first week is the next to book, its deadline within the (widened) reminder window.
    const day = DateTime.fromISO(data.month).minus({ days: 10 }).toISODate()!
    let reminding = true
    const reminded = spawnAce(['planning:remind', '--date', day], { ...childEnv, PLANNING_REMINDER_DAYS: '30', MAIL_OUTBOX_PATH: outbox }).finally(() => (reminding = false))
    // The parents go on until the web server, which looks at the queue every 15 s, has been
    // sending for 300 of their rounds (under their load it sends a few mails a second: all 600
    // would take minutes), then the queue is left to finish.
    const deadline = Date.now() + 90_000
    const mailed = () => readdirSync(outbox, { withFileTypes: true }).length
    let sendingRounds = 0
    const phase = () => {
      const left = waiting()
      if (left && mailed()) return ++sendingRounds <= 300 ? 'sending' : null
      if (reminding) return 'command'
      return left && Date.now() < deadline ? 'queued' : null
    }
    const { statuses, rounds } = await bookInRounds(parents, data.month, phase)
    const result = await reminded
    while (waiting() && Date.now() < deadline + 60_000) await new Promise((resolve) => setTimeout(resolve, 100))

    assert.equal(result.status, 0, result.output)
    const sent = Number(/(\d+) rappels envoyés/.exec(result.output)?.[1])
    assert.isAtLeast(sent, REMINDED_FAMILIES - 10, result.output)
    assert.isAbove(rounds.get('command') ?? 0, 10, 'the parents booked while the command ran')
    assert.isAbove(rounds.get('sending') ?? 0, 0, `the parents booked while the server sent the mails (rounds: ${JSON.stringify([...rounds])})`)
    assert.deepEqual([...new Set(statuses)], [302], `statuts : ${statuses.filter((status) => status !== 302).join(', ')}`)

    assert.equal(waiting(), 0, server.output())
    const notices = file.prepare("SELECT count(*) AS total FROM messaging_conversations WHERE origin = 'planning:booking-reminders'").get() as { total: number }
    assert.equal(notices.total, sent)
    // The outbox names each file after its recipient: one mail per reminded family, none twice.
    const recipients = readdirSync(outbox).map((name) => /-([^-]+@bench\.exemple\.fr)\.eml$/.exec(name)?.[1])
    assert.lengthOf(recipients, sent)
    assert.equal(new Set(recipients).size, sent)
    assertCountersMatch(assert, file)
  })
    .skip(!onSqlite, skipReason)
    .timeout(600_000)
})

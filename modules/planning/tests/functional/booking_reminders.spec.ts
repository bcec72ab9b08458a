import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import PlanningRemind from '#modules/planning/commands/planning_remind'
import { insertMany } from '#core/bulk_insert'
import bookingReminders from '#modules/planning/services/booking_reminders'
import type { PlanningBookingReminder } from '#modules/planning/events'
import { bookDays, committedFixtures, createActivity, createDays, createFamily, registeredFamily } from '#modules/planning/tests/factories'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'

/** A Monday at least ten days ahead; the run happens the Friday before, at 07:00 Paris (Monday's deadline: Saturday 12:00). */
function nextWeek() {
  const today = DateTime.now().setZone('Europe/Paris').startOf('day')
  const monday = today.plus({ days: 10 }).startOf('week').plus({ weeks: 1 })
  return { monday: monday.toISODate()!, sunday: monday.plus({ days: 6 }).toISODate()!, friday: monday.minus({ days: 3 }).set({ hour: 7 }).toUTC() }
}

async function collect(now: DateTime) {
  const sent: PlanningBookingReminder[] = []
  const run = await bookingReminders.run(now, async (batch) => {
    sent.push(...batch)
  })
  return { run, sent }
}

test.group('planning:remind', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('reminds only registered families with nothing booked in the coming week, before its deadline, once', async ({ assert }) => {
    const week = nextWeek()
    const activity = await createActivity({ name: 'Cantine' })
    await createDays(activity, week.monday, 5)
    const idle = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2016-01-01' }, { firstName: 'Mael', birthDate: '2017-01-01' }] })
    const booked = await registeredFamily(activity)
    await bookDays(activity.id, booked.family.id, booked.children[0].id, [{ date: DateTime.fromISO(week.monday).plus({ days: 1 }).toISODate()! }])
    await createFamily() // not registered
    const later = await createFamily()
    await createValidatedRegistration(activity, later.family.id, later.children[0].id, DateTime.fromISO(week.sunday).plus({ days: 1 }).toISODate()!)

    const tooEarly = await collect(DateTime.fromISO(week.monday, { zone: 'Europe/Paris' }).minus({ days: 10 }).toUTC())
    assert.lengthOf(tooEarly.sent, 0)

    const { sent } = await collect(week.friday)
    assert.deepEqual(sent.map((reminder) => reminder.familyId), [idle.family.id])
    assert.deepInclude(sent[0], { activityName: 'Cantine', periodStart: week.monday, periodEnd: week.sunday, childFirstNames: ['Lya', 'Mael'] })
    assert.include(sent[0].url, `/planning?vue=semaine&date=${week.monday}`)

    const again = await collect(week.friday.plus({ hours: 24 }))
    assert.lengthOf(again.sent, 0)
    assert.lengthOf(await db.from('planning_reminders').where('family_id', idle.family.id), 1)

    // past Monday's deadline the week is over for reminders
    const afterDeadline = await collect(DateTime.fromISO(week.monday, { zone: 'Europe/Paris' }).minus({ days: 1 }).toUTC())
    assert.lengthOf(afterDeadline.sent, 0)
  })

  test('two runs at once send each reminder once', async ({ assert }) => {
    const week = nextWeek()
    const activity = await createActivity()
    await createDays(activity, week.monday, 5)
    for (let index = 0; index < 3; index++) await registeredFamily(activity)
    const [one, two] = await Promise.all([collect(week.friday), collect(week.friday)])
    assert.equal(one.sent.length + two.sent.length, 3)
    assert.lengthOf(await db.from('planning_reminders').where('activity_id', activity.id), 3)
  })

  test('a few thousand families: every idle one reminded once, in a bounded number of queries', async ({ assert }) => {
    const week = nextWeek()
    const activity = await createActivity({ name: 'Périscolaire' })
    await createDays(activity, week.monday, 5)
    const families = 3000
    const client = db.connection()
    const stamp = DateTime.utc().toFormat(client.dialect.dateTimeFormat)
    const familyRows = await insertMany(
      client,
      'families',
      Array.from({ length: families }, (_, index) => ({ reference: `RAPPEL-${index}`, regime: 'CAF', resident: true, created_at: stamp })),
      ['id']
    )
    const childRows = await insertMany(
      client,
      'children',
      familyRows.map((row, index) => ({ family_id: row.id, reference: `RAPPEL-E${index}`, first_name: `Rappel${index}`, last_name: 'Rappel', birth_date: '2016-05-05', created_at: stamp })),
      ['id', 'family_id']
    )
    await insertMany(
      client,
      'registrations',
      childRows.map((row) => ({ family_id: row.family_id, child_id: row.id, activity_id: activity.id, state: 'validated', start_date: activity.startsOn, created_at: stamp })),
    )
    // one family in ten has booked a day of the week
    const days = await db.from('activity_days').where('activity_id', activity.id).orderBy('day')
    await insertMany(
      client,
      'planning_bookings',
      childRows
        .filter((_, index) => index % 10 === 0)
        .map((row) => ({ activity_day_id: days[0].id, activity_id: activity.id, child_id: row.id, family_id: row.family_id, day: days[0].day, age_group: 'over6', source: 'parent', created_at: stamp }))
    )
    let queries = 0
    const count = () => (queries += 1)
    // knex announces every statement it runs (the global transaction's client included)
    const knex = db.connection().getWriteClient()
    knex.on('query', count)
    const { sent } = await collect(week.friday).finally(() => knex.off('query', count))
    assert.lengthOf(sent, families - families / 10)
    assert.lengthOf(new Set(sent.map((reminder) => reminder.familyId)), sent.length)
    assert.isAbove(queries, 3)
    assert.isBelow(queries, 60)
    assert.lengthOf((await collect(week.friday)).sent, 0)
  }).timeout(120_000)
})

async function remind(flags: string[]) {
  const command = await ace.create(PlanningRemind, flags)
  await command.exec()
  return { command, output: command.ui.logger.getLogs().map((log) => log.message).join('\n') }
}

test.group('planning:remind, the command', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('--date: the idle family finds the reminder in its inbox, once; a wrong date is refused in French', async ({ assert }) => {
    const week = nextWeek()
    const activity = await createActivity({ name: 'Cantine' })
    await createDays(activity, week.monday, 5)
    const idle = await registeredFamily(activity)
    await db.table('services').insert({ name: 'Service Enfance (rappels)', position: 0, created_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat) })
    const friday = week.friday.setZone('Europe/Paris').toISODate()!
    const first = await remind(['--date', friday])
    assert.equal(first.command.exitCode ?? 0, 0)
    assert.include(first.output, '1 rappel envoyé')
    const second = await remind(['--date', friday])
    assert.include(second.output, 'Aucune famille à rappeler')
    const notices = await db.from('messaging_conversations').where('family_id', idle.family.id).where('origin', 'planning:booking-reminders')
    assert.lengthOf(notices, 1)
    const wrong = await remind(['--date', '2026-13-40'])
    assert.equal(wrong.command.exitCode, 1)
    assert.include(wrong.output, "n'est pas une date")
  })
})

test.group('planning:remind, two processes at once (committed)', () => {
  test('each reminder is journaled and sent by one of them only', async ({ assert, cleanup }) => {
    const fixtures = committedFixtures(cleanup)
    const week = nextWeek()
    const activity = await fixtures.activity({})
    await createDays(activity, week.monday, 5)
    const families = []
    for (let index = 0; index < 4; index++) families.push(await fixtures.registeredFamily(activity))
    const [one, two] = await Promise.all([collect(week.friday), collect(week.friday)])
    const sent = [...one.sent, ...two.sent].map((reminder) => reminder.familyId).sort((a, b) => a - b)
    assert.deepEqual(sent, families.map((created) => created.family.id).sort((a, b) => a - b))
    assert.lengthOf(await db.from('planning_reminders').where('activity_id', activity.id), 4)
  }).timeout(60_000)
})

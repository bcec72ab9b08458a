import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { dbTime } from '#core/db_time'
import communeSettings from '#services/commune_settings'
import { queriesDuring } from '#tests/helpers/query_log'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { createActivity, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { PATTERNS_PER_BATCH } from '#modules/planning/services/pattern_generated_days'

const BIG = { room: 2000, under6: 1000, over6: 1000 }

/** `count` days in a row from `first`, written in a few statements. */
async function openDays(activityId: number, first: string, count: number) {
  const rows = Array.from({ length: count }, (_, index) => ({
    activity_id: activityId,
    day: DateTime.fromISO(first).plus({ days: index }).toISODate()!,
    room_capacity: BIG.room,
    capacity_under6: BIG.under6,
    capacity_over6: BIG.over6,
    booked_under6: 0,
    booked_over6: 0,
    closed: false,
    created_at: dbTime(),
    updated_at: dbTime(),
  }))
  for (let at = 0; at < rows.length; at += 200) await db.table('activity_days').multiInsert(rows.slice(at, at + 200))
}

/** `count` families of one child each, registered to the activity, each with an active pattern on every weekday. */
async function familiesWithPatterns(activityId: number, startsOn: string, count: number, tag: string) {
  const now = dbTime()
  const references = Array.from({ length: count }, (_, n) => `PAT-${tag}-${n}`)
  for (let at = 0; at < count; at += 200) {
    await db
      .table('families')
      .multiInsert(references.slice(at, at + 200).map((reference) => ({ reference, address: '1 rue du Test', postal_code: '06670', city: 'Colomars', created_at: now, updated_at: now })))
  }
  const ids = (await db.from('families').whereIn('reference', references).orderBy('id').select('id')).map((row) => row.id)
  for (let at = 0; at < ids.length; at += 200) {
    await db.table('children').multiInsert(
      ids.slice(at, at + 200).map((familyId: number, n: number) => ({ family_id: familyId, reference: `E-${tag}-${at + n}`, last_name: 'Test', first_name: `Enfant${at + n}`, birth_date: '2016-02-02', created_at: now, updated_at: now }))
    )
  }
  const kids = await db.from('children').whereIn('family_id', ids).orderBy('id').select('id', 'family_id')
  for (let at = 0; at < kids.length; at += 200) {
    const slice = kids.slice(at, at + 200)
    await db.table('registrations').multiInsert(
      slice.map((kid) => ({ family_id: kid.family_id, child_id: kid.id, activity_id: activityId, state: 'validated', active_key: 1, start_date: startsOn, created_at: now, updated_at: now }))
    )
    await db.table('planning_weekly_patterns').multiInsert(
      slice.map((kid) => ({ family_id: kid.family_id, child_id: kid.id, activity_id: activityId, weekdays: '[1,2,3,4,5,6,7]', until_on: dayFromToday(200), created_at: now, updated_at: now }))
    )
  }
  return kids
}

test.group('Planning: weekly patterns at commune scale', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a pattern over a school year (140 days) is saved with as many queries as one over two weeks', async ({ client, assert }) => {
    const save = async (days: number, weekdays: string[]) => {
      const activity = await createActivity({ name: 'Cantine', endsOn: dayFromToday(400), capacity: BIG })
      const { user, children } = await registeredFamily(activity)
      await openDays(activity.id, dayFromToday(7), days)
      await communeSettings.get()
      const statements = await queriesDuring(async () => {
        const response = await submitForm(client, user, '/planning/reservations-regulieres', { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': weekdays })
        assert.equal(response.status(), 302)
      })
      const booked = await db.from('planning_bookings').where('child_id', children[0].id).count('* as total').first()
      return { statements, booked: Number(booked.total) }
    }
    await save(14, ['1', '2', '4', '5']) // fills the process's caches
    const fortnight = await save(14, ['1', '2', '4', '5'])
    const year = await save(245, ['1', '2', '4', '5'])
    assert.equal(fortnight.booked, 8)
    assert.equal(year.booked, 140)
    assert.equal(year.statements.length, fortnight.statements.length, `2 weeks: ${fortnight.statements.length} queries, a year: ${year.statements.length}\n${year.statements.join('\n')}`)
  }).timeout(120_000)

  test('generating days for an activity with 500 active patterns books them all, in a bounded number of queries per batch', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const generateFor = async (patterns: number, tag: string) => {
      const activity = await createActivity({ name: `Mercredis ${tag}`, capacity: BIG })
      const kids = await familiesWithPatterns(activity.id, activity.startsOn, patterns, tag)
      await communeSettings.get()
      const statements = await queriesDuring(async () => {
        const response = await submitForm(client, staff, `/gestion/planning/activites/${activity.id}/generer`, { from: dayFromToday(30), to: dayFromToday(43) })
        assert.equal(response.status(), 302)
      })
      const days = await db.from('activity_days').where('activity_id', activity.id).count('* as total').first()
      const booked = await db.from('planning_bookings').where('activity_id', activity.id).count('* as total').first()
      assert.equal(Number(booked.total), kids.length * Number(days.total), 'every pattern booked every new day')
      const counters = await db.from('activity_days').where('activity_id', activity.id).select('booked_over6')
      assert.isTrue(counters.every((day) => Number(day.booked_over6) === kids.length), 'the counters agree with the rows')
      return statements.length
    }
    const oneBatch = await generateFor(PATTERNS_PER_BATCH, 'a')
    const fiveBatches = await generateFor(5 * PATTERNS_PER_BATCH, 'b')
    assert.isBelow(fiveBatches, 5 * oneBatch, `${PATTERNS_PER_BATCH} patterns: ${oneBatch} queries; ${5 * PATTERNS_PER_BATCH}: ${fiveBatches}`)
    assert.isBelow(fiveBatches, 5 * PATTERNS_PER_BATCH, 'fewer queries than patterns')
    console.log(`  day generation: ${PATTERNS_PER_BATCH} patterns → ${oneBatch} queries, ${5 * PATTERNS_PER_BATCH} patterns → ${fiveBatches} queries`)
  }).timeout(300_000)
})

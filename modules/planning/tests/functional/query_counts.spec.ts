import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { queriesDuring } from '#tests/helpers/query_log'
import communeSettings from '#services/commune_settings'
import Closure from '#modules/planning/models/closure'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, createFamily, dayFromToday } from '#modules/planning/tests/factories'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'

/** A month two months ahead: its days are all bookable (deadline J-2). */
const MONTH = DateTime.fromISO(dayFromToday(60)).startOf('month')
const dayOfMonth = (n: number) => MONTH.plus({ days: n - 1 }).toISODate()!

/** A family of `children` children, each registered to `activities` activities with 14 days this month, some booked. */
async function familyWith(children: number, activities: number) {
  const { family, user, children: kids } = await createFamily({
    children: Array.from({ length: children }, (_, i) => ({ firstName: `Enfant${i}`, birthDate: i % 2 ? '2016-04-04' : '2021-06-01' })),
  })
  const days = []
  for (let a = 0; a < activities; a++) {
    const activity = await createActivity({ name: `Activité ${a}` })
    for (const kid of kids) await createValidatedRegistration(activity, family.id, kid.id)
    for (let n = 1; n <= 14; n++) days.push(await createDay(activity, dayOfMonth(n * 2)))
  }
  for (const kid of kids) {
    for (const day of days.filter((_, i) => i % 5 === 0)) await bookingService.book(family.id, kid.id, day.id, { as: 'parent', actor: user })
  }
  await Closure.create({ activityId: null, date: dayOfMonth(3), reason: 'Inventaire' })
  return { family, user, kids, days }
}

test.group('Planning: queries do not grow with what is shown', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the month page makes as many queries for 4 children × 3 activities as for 1 child × 1 activity', async ({ client, assert }) => {
    const small = await familyWith(1, 1)
    const large = await familyWith(4, 3)
    const path = `/planning?vue=mois&date=${dayOfMonth(1)}`
    const count = async (user: typeof small.user) => {
      let status = 0
      // The commune's settings are cached 5 s: refreshed here, a slow run does not count their reload.
      await communeSettings.get()
      const statements = await queriesDuring(async () => {
        status = (await client.get(path).loginAs(user)).status()
      })
      assert.equal(status, 200)
      return statements
    }
    await count(small.user)
    const one = await count(small.user)
    const many = await count(large.user)
    assert.isAbove(one.length, 0, 'the counter sees the queries')
    assert.equal(many.length, one.length, `1×1: ${one.length} queries, 4×3: ${many.length}\n${many.join('\n')}`)
  })

  test('validating a basket of 10 days makes as many queries as a basket of 1 day', async ({ client, assert }) => {
    const count = async (days: number) => {
      const { user, kids, days: created, family } = await familyWith(1, 1)
      const chosen = created.filter((_, i) => i % 5 !== 0).slice(0, days).map((day) => `${kids[0].id}-${day.id}`)
      await communeSettings.get()
      const statements = await queriesDuring(async () => {
        const response = await client
          .post('/planning')
          .form({ vue: 'mois', date: dayOfMonth(1), action: 'apply', shown: chosen, selected: chosen })
          .loginAs(user)
          .withCsrfToken()
          .redirects(0)
        assert.equal(response.status(), 302)
      })
      const booked = await db.from('planning_bookings').where('family_id', family.id).whereIn('activity_day_id', created.map((day) => day.id))
      assert.lengthOf(booked, 3 + days, 'every day of the basket is booked')
      return statements
    }
    await count(1) // the first request fills the process's caches
    const one = await count(1)
    const ten = await count(10)
    assert.equal(ten.length, one.length, `1 day: ${one.length} queries, 10 days: ${ten.length}\n${ten.join('\n')}`)
  })
})

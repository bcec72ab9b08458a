import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { queriesDuring } from '#tests/helpers/query_log'
import { createUser } from '#tests/helpers/users'
import { custodyService } from '#modules/dossier/index'
import communeSettings from '#services/commune_settings'
import Closure from '#modules/planning/models/closure'
import WaitlistOffer from '#modules/planning/models/waitlist_offer'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, createFamily, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
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

/**
 * The same family, also the other household of another family's child (shared custody, on a
 * registered activity with days this month), with a place offered to one of its own children.
 */
async function sharingFamilyWith(children: number, activities: number) {
  const household = await familyWith(children, activities)
  const canteen = await createActivity({ name: 'Cantine' })
  const owners = await registeredFamily(canteen, { children: [{ firstName: 'Partagée', birthDate: '2016-03-10' }] })
  for (let n = 1; n <= 14; n++) await createDay(canteen, dayOfMonth(n * 2))
  await custodyService.setUp(owners.children[0], { otherFamilyId: household.family.id, evenWeeks: 'other_family', startsOn: dayFromToday(0) }, await createUser('staff'))
  const day = household.days[1]
  await WaitlistOffer.create({
    activityDayId: day.id,
    activityId: day.activityId,
    childId: household.kids[0].id,
    familyId: household.family.id,
    day: day.day,
    ageGroup: 'under6',
    status: 'pending',
    expiresAt: DateTime.utc().plus({ hours: 12 }),
  })
  return household
}

const MONTH_PAGE = `/planning?vue=mois&date=${dayOfMonth(1)}`

/** The statements of the month page for this user (the page answers 200), and its text. */
async function monthPage(client: any, user: unknown) {
  let status = 0
  let text = ''
  // The commune's settings are cached 5 s: refreshed here, a slow run does not count their reload.
  await communeSettings.get()
  const statements = await queriesDuring(async () => {
    const response = await client.get(MONTH_PAGE).loginAs(user)
    status = response.status()
    text = response.text()
  })
  if (status !== 200) throw new Error(`month page: ${status}`)
  return { statements, text }
}

/** The month page seen three times: rendered, rendered and kept (its counts of writes read first), sent as kept. */
async function threeViews(client: any, user: unknown) {
  const views = []
  for (let view = 0; view < 3; view++) views.push(await monthPage(client, user))
  return views
}

/** The page without the request's own values (CSRF token, nonce). */
const withoutTokens = (html: string) => html.replace(/value='[^']+'/g, '').replace(/nonce="[^"]+"/g, '')

test.group('Planning: queries do not grow with what is shown', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the month page makes as many queries for 4 children × 3 activities as for 1 child × 1 activity', async ({ client, assert }) => {
    const small = await familyWith(1, 1)
    const large = await familyWith(4, 3)
    // The small family's first view also fills the process's caches: its second and third are compared.
    const [, one, oneKept] = await threeViews(client, small.user)
    const [manyFirst, many, manyKept] = await threeViews(client, large.user)
    assert.isAbove(one.statements.length, 0, 'the counter sees the queries')
    assert.equal(many.statements.length, one.statements.length, `1×1: ${one.statements.length} queries, 4×3: ${many.statements.length}\n${many.statements.join('\n')}`)
    // sign-in, the basis, family, registrations, custody, the period (4: days, bookings and waiting list, rules, holidays and closures), offers
    assert.isAtMost(many.statements.length, 10, many.statements.join('\n'))
    // A page seen once is not kept: no basis read for it.
    assert.equal(manyFirst.statements.length, many.statements.length - 1, manyFirst.statements.join('\n'))
    // Sent as kept: sign-in, and its basis (the counts of writes and the days' places, one statement).
    assert.equal(manyKept.statements.length, oneKept.statements.length, manyKept.statements.join('\n'))
    assert.isAtMost(manyKept.statements.length, 2, manyKept.statements.join('\n'))
    assert.equal(withoutTokens(manyKept.text), withoutTokens(many.text))
  })

  test('under shared custody and with a place offered, the month page makes as many queries for 4×3 as for 1×1', async ({ client, assert }) => {
    const small = await sharingFamilyWith(1, 1)
    const large = await sharingFamilyWith(4, 3)
    const [, one, oneKept] = await threeViews(client, small.user)
    const [, many, manyKept] = await threeViews(client, large.user)
    for (const page of [one, many, oneKept, manyKept]) {
      assert.include(page.text, 'Garde alternée : vous réservez les semaines paires')
      assert.include(page.text, 'Une place vous est proposée')
    }
    assert.equal(many.statements.length, one.statements.length, `1×1: ${one.statements.length} queries, 4×3: ${many.statements.length}\n${many.statements.join('\n')}`)
    // the plain page's, and the sharing family's registrations
    assert.isAtMost(many.statements.length, 11, many.statements.join('\n'))
    assert.equal(manyKept.statements.length, oneKept.statements.length, manyKept.statements.join('\n'))
    assert.isAtMost(manyKept.statements.length, 2, manyKept.statements.join('\n'))
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

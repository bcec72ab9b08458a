import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { queriesDuring } from '#tests/helpers/query_log'
import { createUser } from '#tests/helpers/users'
import { custodyService } from '#modules/dossier/index'
import communeSettings from '#services/commune_settings'
import Closure from '#modules/planning/models/closure'
import bookingService from '#modules/planning/services/booking_service'
import planningViewService from '#modules/planning/services/planning_view_service'
import { deadlineMillis, parisMidnightMillis } from '#modules/planning/services/deadline_rules'
import settingsService from '#modules/planning/services/settings_service'
import { addDays } from '#core/calendar_day'
import { FamilyPageCache } from '#core/family_page_cache'
import { planningPageCache } from '#modules/planning/services/planning_page_cache'
import { createActivity, createDay, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

/*
 * The planning page kept by planning_page_cache: sent again only while what it shows reads the
 * same. Each write below is made the way a command or the staff would, outside the page's own
 * forms, and the page seen next shows it.
 */

const MONTH = DateTime.fromISO(dayFromToday(60)).startOf('month')
const dayOfMonth = (n: number) => MONTH.plus({ days: n - 1 }).toISODate()!
const MONTH_PAGE = `/planning?vue=mois&date=${dayOfMonth(1)}`

async function setUp() {
  const activity = await createActivity({ name: 'Accueil du soir' })
  const days = []
  for (let n = 1; n <= 10; n++) days.push(await createDay(activity, dayOfMonth(n * 2)))
  const family = await registeredFamily(activity)
  const other = await registeredFamily(activity, { children: [{ firstName: 'Noé', birthDate: '2017-05-02' }] })
  return { activity, days, family, other }
}

/** The month page as the user gets it, and how many statements it took. */
async function monthPage(client: any, user: unknown) {
  let text = ''
  const statements = await queriesDuring(async () => {
    const response = await client.get(MONTH_PAGE).loginAs(user)
    if (response.status() !== 200) throw new Error(`month page: ${response.status()}`)
    text = response.text()
  })
  return { text, statements: statements.length }
}

/** Seen twice (from a cache emptied first), the page is kept: the third view is sent as kept (a few statements). */
async function keptPage(client: any, user: unknown, assert: any) {
  planningPageCache.invalidate()
  await communeSettings.get()
  await monthPage(client, user)
  const rendered = await monthPage(client, user)
  const kept = await monthPage(client, user)
  assert.isBelow(kept.statements, rendered.statements, 'the third view is sent as kept')
  return kept
}

/** The text of one day's cell: its state and its places. */
function cellOf(html: string, childName: string, day: string) {
  const label = `${childName}, Accueil du soir, ${DateTime.fromISO(day).setLocale('fr').toFormat('cccc d LLLL yyyy')}`
  const at = html.indexOf(label)
  if (at < 0) throw new Error(`no cell « ${label} »`)
  return html.slice(at, at + 600)
}

test.group('Planning: a kept page is sent again only while it reads the same', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("another family's booking changes the places the kept page shows", async ({ client, assert }) => {
    const { days, family, other } = await setUp()
    const before = await keptPage(client, family.user, assert)
    assert.include(cellOf(before.text, 'Lya', days[0].day), '5 places')
    await bookingService.book(other.family.id, other.children[0].id, days[0].id, { as: 'parent', actor: other.user })
    const after = await monthPage(client, family.user)
    assert.include(cellOf(after.text, 'Lya', days[0].day), '4 places')
  })

  test("the family's own booking, made elsewhere (a weekly pattern, the staff), shows at once", async ({ client, assert }) => {
    const { days, family } = await setUp()
    await keptPage(client, family.user, assert)
    const staff = await createUser('staff')
    await bookingService.book(family.family.id, family.children[0].id, days[1].id, { as: 'staff', actor: staff })
    const after = await monthPage(client, family.user)
    assert.include(cellOf(after.text, 'Lya', days[1].day), 'Réservé')
  })

  test('a closure, a child renamed, an activity renamed and shared custody each show at once', async ({ client, assert }) => {
    const { activity, days, family, other } = await setUp()
    await keptPage(client, family.user, assert)
    // A closure on a day without activity (the staff close days that have one by closing the day itself).
    assert.notInclude(cellOf((await monthPage(client, family.user)).text, 'Lya', dayOfMonth(3)), 'Fermé')
    await Closure.create({ activityId: null, date: dayOfMonth(3), reason: 'Inventaire' })
    assert.include(cellOf((await monthPage(client, family.user)).text, 'Lya', dayOfMonth(3)), 'Fermé')

    await keptPage(client, family.user, assert)
    await db.from('children').where('id', family.children[0].id).update({ first_name: 'Lyana' })
    assert.include(cellOf((await monthPage(client, family.user)).text, 'Lyana', days[0].day), '5 places')

    await keptPage(client, family.user, assert)
    await db.from('activities').where('id', activity.id).update({ name: 'Accueil du mercredi' })
    assert.include((await monthPage(client, family.user)).text, 'Accueil du mercredi')
    await db.from('activities').where('id', activity.id).update({ name: 'Accueil du soir' })

    // The other household sees the shared child from the next view on.
    await keptPage(client, other.user, assert)
    await custodyService.setUp(family.children[0], { otherFamilyId: other.family.id, evenWeeks: 'other_family', startsOn: dayFromToday(0) }, await createUser('staff'))
    assert.include((await monthPage(client, other.user)).text, 'Garde alternée')
  })

  test('a day closed for a reason written with an emoji or accents is kept like any other, and reopened at once', async ({ client, assert }) => {
    const { days, family } = await setUp()
    await db.from('activity_days').where('id', days[0].id).update({ closed: true, closed_reason: 'Fête de l’école 🎉 — sortie' })
    const kept = await keptPage(client, family.user, assert)
    assert.include(cellOf(kept.text, 'Lya', days[0].day), 'Fermé')
    await db.from('activity_days').where('id', days[0].id).update({ closed: false, closed_reason: null })
    assert.include(cellOf((await monthPage(client, family.user)).text, 'Lya', days[0].day), '5 places')
  })

  test('a forced reload (Cache-Control: no-cache) renders the page anew', async ({ client, assert }) => {
    const { family } = await setUp()
    const kept = await keptPage(client, family.user, assert)
    const statements = await queriesDuring(async () => {
      const response = await client.get(MONTH_PAGE).header('cache-control', 'no-cache').loginAs(family.user)
      assert.equal(response.status(), 200)
    })
    assert.isAbove(statements.length, kept.statements + 3)
  })

  test('an account no longer linked to the family is not sent its kept page', async ({ client, assert }) => {
    const { family } = await setUp()
    await keptPage(client, family.user, assert)
    await db.from('guardians').where('user_id', family.user.id).update({ user_id: null })
    const after = await monthPage(client, family.user)
    assert.include(after.text, 'rattaché à aucun dossier famille')
    assert.notInclude(after.text, 'Lya,')
  })

  test("a kept page is another user's only by its own key: each family sees its own", async ({ client, assert }) => {
    const { family, other } = await setUp()
    await keptPage(client, family.user, assert)
    // The same address, another account: never the kept copy of the first.
    for (let view = 0; view < 3; view++) {
      const theirs = await monthPage(client, other.user)
      assert.include(theirs.text, 'Noé')
      assert.notInclude(theirs.text, 'Lya,')
    }
    assert.include((await monthPage(client, family.user)).text, 'Lya,')
  })

  test('a kept page is not sent past the first instant its cells would change by the clock', async ({ assert }) => {
    const { activity, family } = await setUp()
    const now = DateTime.utc()
    const page = await planningViewService.build(family.family.id, { view: 'mois', date: dayOfMonth(1), by: 'famille', activityId: null, now })
    const rules = (await settingsService.rulesForMany([activity.id])).get(activity.id)!
    const today = page.today
    const instants = [parisMidnightMillis(addDays(today, 1))]
    for (const cell of page.rows.flatMap((row) => row.cells).filter((cell) => cell.dayId)) {
      instants.push(deadlineMillis(rules.bookingDeadline, cell.date), deadlineMillis(rules.cancelDeadline, cell.date), parisMidnightMillis(addDays(cell.date, 3)))
    }
    assert.equal(page.validUntil(), Math.min(...instants.filter((instant) => instant > now.toMillis())))
    assert.isAbove(instants.length, 10, 'the days of the month count')
  })

  test('a kept copy is sent with the request\'s own token and nonce, never past its instant nor for another basis', async ({ assert }) => {
    const cache = new FamilyPageCache<null>()
    const ctxWith = (token: string, nonce: string) => ({ request: { csrfToken: token }, response: { nonce } }) as any
    const html = "<script nonce='n-1'></script><input name='_csrf' value='t-1'><p>Lya</p>"
    const page = { html, shape: null, basis: 'b1', until: 2_000, generation: cache.generation }
    cache.keep(ctxWith('t-1', 'n-1'), 'k', { ...page, basis: null })
    assert.isTrue(cache.wasRendered('k'))
    assert.isNull(cache.serve(ctxWith('t-2', 'n-2'), 'k', 'b1', 1_000), 'rendered without a basis: not kept')
    cache.keep(ctxWith('t-1', 'n-1'), 'k', page)
    assert.equal(cache.serve(ctxWith('t-2', 'n-2'), 'k', 'b1', 1_000)?.toString('utf8'), "<script nonce='n-2'></script><input name='_csrf' value='t-2'><p>Lya</p>")
    assert.isNull(cache.serve(ctxWith('t-2', 'n-2'), 'k', 'b2', 1_000), 'another basis')
    assert.isNull(cache.serve(ctxWith('t-2', 'n-2'), 'k', 'b1', 2_000), 'its instant has come')
    const before = cache.generation
    cache.invalidate()
    cache.keep(ctxWith('t-1', 'n-1'), 'k', { ...page, generation: before })
    assert.isNull(cache.serve(ctxWith('t-2', 'n-2'), 'k', 'b1', 1_000), 'rendered across an invalidation: not kept')
  })
})

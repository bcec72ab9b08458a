import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { custodyService } from '#modules/dossier/index'
import { createUser } from '#tests/helpers/users'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDays, createFamily, dayCounts, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'

const as = (user: { id: number; fullName: string }) => ({ id: user.id, fullName: user.fullName })

/**
 * The Martins' Lya (and her brother Noé) on a canteen open every day; the Duponts are Lya's
 * other household, with the Martins' weeks first: two whole ISO weeks from a Monday.
 */
async function sharedChild() {
  const activity = await createActivity({ name: 'Cantine' })
  const martins = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2016-03-10' }, { firstName: 'Noé', birthDate: '2014-06-01' }] })
  const duponts = await createFamily({ children: [{ firstName: 'Tom', birthDate: '2015-02-02' }] })
  const strangers = await createFamily({ children: [{ firstName: 'Zoé', birthDate: '2015-02-02' }] })
  let monday = DateTime.fromISO(dayFromToday(14))
  monday = monday.minus({ days: monday.weekday - 1 })
  const days = await createDays(activity, monday.toISODate()!, 14)
  const [lya, noe] = martins.children
  const staff = await createUser('staff')
  const arrangement = await custodyService.setUp(
    lya,
    { otherFamilyId: duponts.family.id, evenWeeks: monday.weekNumber % 2 === 0 ? 'child_family' : 'other_family', startsOn: dayFromToday(0) },
    staff
  )
  return { activity, martins, duponts, strangers, lya, noe, staff, arrangement, martinWeek: days.slice(0, 7), duponWeek: days.slice(7), days }
}

/** The page's text with Edge's escapes of quotes undone. */
const textOf = (response: { text(): string }) => response.text().replace(/&#x27;|&#39;/g, "'")

const pairs = (childId: number, days: { id: number }[]) => days.map((day) => `${childId}-${day.id}`)

test.group('Planning: shared custody, each household its weeks', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("the other household sees the shared child only, its weeks bookable and the other's read-only with the reason", async ({ client, assert }) => {
    const { duponts, lya, martinWeek, duponWeek } = await sharedChild()
    const response = await client.get(`/planning?vue=mois&date=${duponWeek[0].day}`).loginAs(duponts.user)
    response.assertStatus(200)
    const html = textOf(response)
    assert.include(html, 'Lya — Cantine')
    assert.notInclude(html, 'Noé')
    assert.include(html, 'Garde alternée : vous réservez les semaines ')
    assert.include(html, "« Autre foyer » sont ceux des semaines de l'autre foyer, qui les réserve.")
    for (const day of duponWeek) assert.include(html, `value="${lya.id}-${day.id}"`)
    for (const day of martinWeek) {
      if (day.day.slice(0, 7) !== duponWeek[0].day.slice(0, 7)) continue
      assert.notInclude(html, `value="${lya.id}-${day.id}"`)
      assert.match(html, new RegExp(`Lya, Cantine, [^:]+ : </span>Autre foyer`))
    }
  })

  test("the child's own family sees the note on the shared child's row only, the other household's days read-only", async ({ client, assert }) => {
    const { martins, lya, noe, martinWeek, duponWeek } = await sharedChild()
    const month = martinWeek[0].day.slice(0, 7)
    const response = await client.get(`/planning?vue=mois&date=${martinWeek[0].day}`).loginAs(martins.user)
    response.assertStatus(200)
    const html = textOf(response)
    assert.lengthOf(html.match(/Garde alternée : vous réservez les semaines /g) ?? [], 1)
    for (const day of [...martinWeek, ...duponWeek].filter((entry) => entry.day.slice(0, 7) === month)) {
      assert.include(html, `value="${noe.id}-${day.id}"`)
      if (martinWeek.includes(day)) assert.include(html, `value="${lya.id}-${day.id}"`)
      else assert.notInclude(html, `value="${lya.id}-${day.id}"`)
    }
  })

  test('each household books only its own weeks, and the booking records who booked it', async ({ client, assert }) => {
    const { martins, duponts, lya, martinWeek, duponWeek, days } = await sharedChild()
    const all = pairs(lya.id, days)
    const fromDuponts = await sendBasket(client, duponts.user, { date: days[0].day, action: 'apply', shown: all, selected: all })
    assert.include(textOf(fromDuponts), "semaine de l'autre foyer (garde alternée), c'est lui qui la réserve.")
    await sendBasket(client, martins.user, { date: days[0].day, action: 'apply', shown: all, selected: all })

    const rows = await db.from('planning_bookings').where('child_id', lya.id).orderBy('day').select('family_id', 'activity_day_id')
    assert.deepEqual(
      rows.map((row) => [Number(row.family_id), row.activity_day_id]),
      [...martinWeek.map((day) => [martins.family.id, day.id]), ...duponWeek.map((day) => [duponts.family.id, day.id])]
    )
    for (const day of days) assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 1 })
    // one history line per household, each with its own days
    const duponLines = await db.from('family_history_entries').where('family_id', duponts.family.id).where('module', 'planning')
    assert.lengthOf(duponLines, 1)
    assert.match(duponLines[0].text, /^Réservations de 7 jours : Cantine \(Lya\)/)

    // single-day routes follow the same weeks (the waiting list too)
    assert.deepInclude(await bookingService.book(duponts.family.id, lya.id, martinWeek[1].id, { as: 'parent', actor: as(duponts.user) }), { ok: false, reason: 'other_household' })
    assert.deepInclude(await bookingService.joinWaitlist(duponts.family.id, lya.id, martinWeek[1].id, { as: 'parent', actor: as(duponts.user) }), { ok: false, reason: 'other_household' })

    // neither household cancels what the other booked
    await sendBasket(client, martins.user, { date: days[0].day, action: 'apply', shown: pairs(lya.id, duponWeek), selected: [] })
    assert.deepInclude(await bookingService.cancel(martins.family.id, lya.id, duponWeek[0].id, { as: 'parent', actor: as(martins.user) }), { ok: false, reason: 'not_booked' })
    assert.equal(Number((await db.from('planning_bookings').where('family_id', duponts.family.id).count('* as n'))[0].n), 7)
    // and each cancels its own
    assert.deepInclude(await bookingService.cancel(duponts.family.id, lya.id, duponWeek[0].id, { as: 'parent', actor: as(duponts.user) }), { ok: true, status: 'cancelled' })
  })

  test("a third family, or the other household for the first family's other child, is refused on every route", async ({ client, assert }) => {
    const { duponts, strangers, lya, noe, duponWeek, days } = await sharedChild()
    const lyaPairs = pairs(lya.id, days)
    await sendBasket(client, strangers.user, { date: days[0].day, action: 'apply', shown: lyaPairs, selected: lyaPairs })
    await sendBasket(client, duponts.user, { date: days[0].day, action: 'apply', shown: pairs(noe.id, days), selected: pairs(noe.id, days) })
    for (const day of duponWeek) {
      await client.post('/planning/liste-attente').form({ waitlist: `${lya.id}-${day.id}` }).withCsrfToken().loginAs(strangers.user)
      await client.post('/planning/liste-attente').form({ waitlist: `${noe.id}-${day.id}` }).withCsrfToken().loginAs(duponts.user)
    }
    assert.equal(Number((await db.from('planning_bookings').whereIn('child_id', [lya.id, noe.id]).count('* as n'))[0].n), 0)
    assert.equal(Number((await db.from('planning_waitlist_entries').whereIn('child_id', [lya.id, noe.id]).count('* as n'))[0].n), 0)
    assert.deepInclude(await bookingService.book(strangers.family.id, lya.id, duponWeek[0].id, { as: 'parent', actor: as(strangers.user) }), { ok: false, reason: 'not_registered' })
    const page = await client.get(`/planning?vue=mois&date=${days[0].day}`).loginAs(strangers.user)
    assert.notInclude(page.text(), 'Lya')
  })

  test("ending the arrangement gives the other household's coming days back and hands its weeks to the child's family", async ({ client, assert }) => {
    const { martins, duponts, lya, staff, arrangement, martinWeek, duponWeek, days } = await sharedChild()
    await sendBasket(client, duponts.user, { date: days[0].day, action: 'apply', shown: pairs(lya.id, duponWeek), selected: pairs(lya.id, duponWeek) })
    assert.equal(Number((await db.from('planning_bookings').where('family_id', duponts.family.id).count('* as n'))[0].n), 7)

    await custodyService.end(lya, arrangement, martinWeek.at(-1)!.day, staff)
    assert.equal(Number((await db.from('planning_bookings').where('family_id', duponts.family.id).count('* as n'))[0].n), 0)
    for (const day of duponWeek) assert.deepInclude(await dayCounts(day.id), { over6: 0, rows: 0 })
    // until its last day the child stays on their planning, the days after it read-only
    const page = await client.get(`/planning?vue=mois&date=${duponWeek[0].day}`).loginAs(duponts.user)
    for (const day of duponWeek) assert.notInclude(page.text(), `value="${lya.id}-${day.id}"`)
    assert.deepInclude(await bookingService.book(duponts.family.id, lya.id, duponWeek[1].id, { as: 'parent', actor: as(duponts.user) }), { ok: false, reason: 'other_household' })
    assert.deepInclude(await bookingService.book(martins.family.id, lya.id, duponWeek[0].id, { as: 'parent', actor: as(martins.user) }), { ok: true, status: 'booked' })
  })

  test("the service booking from the day sheet books for the household whose week it is", async ({ client, assert }) => {
    const { martins, duponts, lya, staff, martinWeek, duponWeek } = await sharedChild()
    for (const day of [martinWeek[2], duponWeek[2]]) {
      await client.post(`/gestion/planning/jours/${day.id}/reserver`).form({ child_id: lya.id, reason: 'Demande au guichet' }).withCsrfToken().loginAs(staff)
    }
    const rows = await db.from('planning_bookings').where('child_id', lya.id).orderBy('day').select('family_id', 'source')
    assert.deepEqual(
      rows.map((row) => [Number(row.family_id), row.source]),
      [
        [martins.family.id, 'staff'],
        [duponts.family.id, 'staff'],
      ]
    )
  })
})

import { DateTime } from 'luxon'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { Activity } from '#modules/inscriptions/index'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import { bookBasket } from '#modules/planning/services/basket_booking'
import { committedFixtures, createActivity, createDay, createDays, dayCounts, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

const actorOf = (user: { id: number; fullName: string }) => ({ id: user.id, fullName: user.fullName })

test.group('Basket: the days of a basket booked together', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each child-day gets its own answer; refused days do not undo the accepted ones', async ({ assert }) => {
    const activity = await createActivity({ name: 'Vacances' })
    const { family, user, children } = await registeredFamily(activity, {
      children: [
        { firstName: 'Lya', birthDate: '2016-04-04' },
        { firstName: 'Noé', birthDate: '2015-01-01' },
      ],
    })
    const [lya, noe] = children
    const lastPlace = await createDay(activity, dayFromToday(20), { room: 5, under6: 5, over6: 1 })
    const open = await createDay(activity, dayFromToday(21))
    const closed = await createDay(activity, dayFromToday(22))
    await db.from('activity_days').where('id', closed.id).update({ closed: true, closed_reason: 'Travaux' })
    const tooLate = await createDay(activity, dayFromToday(1))
    const other = await createDay(activity, dayFromToday(23))
    await WaitlistEntry.create({ activityDayId: other.id, activityId: activity.id, childId: noe.id, familyId: family.id, day: other.day, ageGroup: 'over6' })
    await WaitlistEntry.create({ activityDayId: other.id, activityId: activity.id, childId: lya.id, familyId: family.id, day: other.day, ageGroup: 'over6' })

    const outcomes = await bookBasket(
      family.id,
      [
        { childId: lya.id, dayId: lastPlace.id },
        { childId: noe.id, dayId: lastPlace.id },
        { childId: lya.id, dayId: open.id },
        { childId: lya.id, dayId: closed.id },
        { childId: lya.id, dayId: tooLate.id },
        { childId: noe.id, dayId: other.id },
        { childId: lya.id, dayId: open.id },
        { childId: lya.id, dayId: 999_999_999 },
      ],
      actorOf(user)
    )
    assert.deepEqual(
      outcomes.map((outcome) => (outcome.ok ? outcome.status : outcome.reason)),
      ['booked', 'full', 'booked', 'closed', 'deadline', 'booked', 'already_booked', 'unknown_day']
    )
    assert.match(outcomes[1].message, /^Vacances du \d{2}\/\d{2}\/\d{4} \(Noé\) : complet, plus de place/)
    assert.isTrue(!outcomes[1].ok && outcomes[1].waitlistOffered)
    assert.equal(outcomes[3].message, 'Journée fermée : Travaux.')

    for (const day of [lastPlace, open, other, closed, tooLate]) {
      const counts = await dayCounts(day.id)
      assert.equal(counts.over6, counts.rowsOver6, `day ${day.day}`)
      assert.equal(counts.under6, counts.rowsUnder6, `day ${day.day}`)
    }
    assert.deepInclude(await dayCounts(lastPlace.id), { over6: 1, rows: 1 })
    const rows = await db.from('planning_bookings').where('family_id', family.id).orderBy('id')
    assert.deepEqual(
      rows.map((row) => [row.child_id, row.activity_day_id, row.source]),
      [
        [lya.id, lastPlace.id, 'parent'],
        [lya.id, open.id, 'parent'],
        [noe.id, other.id, 'parent'],
      ]
    )
    const waiting = await db.from('planning_waitlist_entries').where('activity_day_id', other.id)
    assert.deepEqual(
      waiting.map((row) => row.child_id),
      [lya.id],
      'only the booked child leaves the waiting list'
    )
    // One history line for the basket, not one per day.
    const history = await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning').orderBy('id')
    assert.lengthOf(history, 1)
    assert.match(history[0].text, /^Réservations de 3 jours : /)
    for (const [childName, days] of [
      ['Lya', [lastPlace, open]],
      ['Noé', [other]],
    ] as const) {
      assert.include(history[0].text, `(${childName}) : ${days.map((day) => DateTime.fromISO(day.day).toFormat('dd/MM/yyyy')).sort().join(', ')}`)
    }
  })
})

test.group('Basket: concurrent baskets (committed)', () => {
  test('twelve families book the same five days at once, in different orders: never more than the places', async ({ assert, cleanup }) => {
    const committed = committedFixtures(cleanup)
    const activity = await committed.activity({ name: 'Paniers' })
    const days = await createDays(activity, dayFromToday(30), 5, { room: 3, under6: 3, over6: 3 })
    const baskets = []
    for (let f = 0; f < 12; f++) {
      const { family, user, children } = await committed.registeredFamily(activity, { children: [{ firstName: `Panier${f}`, birthDate: f % 2 ? '2016-04-04' : dayFromToday(-4 * 365) }] })
      const order = f % 2 ? [...days].reverse() : days
      baskets.push(() => bookBasket(family.id, order.map((day) => ({ childId: children[0].id, dayId: day.id })), actorOf(user)))
    }
    const results = (await Promise.all(baskets.map((basket) => basket()))).flat()
    assert.lengthOf(results.filter((outcome) => outcome.ok), 15)
    assert.isTrue(results.every((outcome) => outcome.ok || outcome.reason === 'full'))
    for (const day of days) {
      const counts = await dayCounts(day.id)
      assert.equal(counts.rows, 3)
      assert.equal(counts.under6 + counts.over6, 3)
      assert.equal(counts.under6, counts.rowsUnder6)
    }
    assert.lengthOf(await Activity.query().where('id', activity.id), 1)
  }).timeout(60_000)
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import billingFeedService from '#modules/planning/services/billing_feed_service'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, registeredFamily } from '#modules/planning/tests/factories'

test.group('Billing feed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('bookings of a month per family, child and activity, with attendance and the late flag', async ({ assert }) => {
    const activity = await createActivity({ name: 'Cantine', startsOn: '2026-08-01', endsOn: '2026-10-31' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2017-01-01' }, { firstName: 'Mael', birthDate: '2019-01-01' }] })
    const actor = { id: user.id, fullName: user.fullName }
    const days = [await createDay(activity, '2026-09-01'), await createDay(activity, '2026-09-02'), await createDay(activity, '2026-09-30'), await createDay(activity, '2026-10-01')]
    for (const day of days) await bookingService.book(family.id, children[0].id, day.id, { as: 'staff', actor, reason: 'test' })
    await bookingService.book(family.id, children[1].id, days[1].id, { as: 'staff', actor, reason: 'test' })
    const rows = await db.from('planning_bookings').where('child_id', children[0].id).orderBy('day')
    await db.from('planning_bookings').where('id', rows[0].id).update({ attendance: 'present' })
    await db.from('planning_bookings').where('id', rows[1].id).update({ attendance: 'justified' })
    await db.from('planning_bookings').where('id', rows[2].id).update({ late: false })

    const feed = await billingFeedService.bookingsForMonth('2026-09')
    assert.lengthOf(feed, 2)
    const lya = feed.find((line) => line.childId === children[0].id)!
    assert.equal(lya.activityName, 'Cantine')
    assert.deepEqual(
      lya.days.map((day) => [day.date, day.attendance, day.late]),
      [
        ['2026-09-01', 'present', true],
        ['2026-09-02', 'justified', true],
        ['2026-09-30', 'unknown', false],
      ]
    )
    const mael = feed.find((line) => line.childId === children[1].id)!
    assert.deepEqual(mael.days.map((day) => day.date), ['2026-09-02'])
    assert.lengthOf(await billingFeedService.bookingsForMonth('2026-11'), 0)
    await assert.rejects(() => billingFeedService.bookingsForMonth('2026-13'), /Mois invalide/)
  })
})

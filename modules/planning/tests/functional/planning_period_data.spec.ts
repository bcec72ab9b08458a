import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Closure from '#modules/planning/models/closure'
import SchoolHoliday from '#modules/planning/models/school_holiday'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import bookingService from '#modules/planning/services/booking_service'
import { readPlanningPeriod } from '#modules/planning/services/planning_period_data'
import { createActivity, createDays, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

const MONTH = DateTime.fromISO(dayFromToday(60)).startOf('month')
const dayOfMonth = (n: number) => MONTH.plus({ days: n - 1 }).toISODate()!

test.group('Planning period data: one statement for two tables', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("bookings and waiting-list entries, school holidays and closures read together are each told apart", async ({ assert }) => {
    const activity = await createActivity({ name: 'Mercredis' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2016-03-10' }] })
    const child = children[0]
    const [booked, waited, closedForAll, closedForActivity] = await createDays(activity, dayOfMonth(10), 4)
    const outcome = await bookingService.book(family.id, child.id, booked.id, { as: 'parent', actor: user })
    assert.isTrue(outcome.ok)
    await db.from('planning_bookings').where('activity_day_id', booked.id).update({ attendance: 'present' })
    await WaitlistEntry.create({
      activityDayId: waited.id,
      activityId: activity.id,
      childId: child.id,
      familyId: family.id,
      day: waited.day,
      ageGroup: 'over6',
      requestedBy: user.id,
    })
    await SchoolHoliday.create({ zone: 'C', name: 'Vacances de test', startsOn: dayOfMonth(20), endsOn: dayOfMonth(22) })
    await Closure.create({ activityId: null, date: closedForAll.day, reason: 'Inventaire' })
    await Closure.create({ activityId: activity.id, date: closedForActivity.day, reason: 'Sortie' })

    const period = await readPlanningPeriod(family.id, {
      activityIds: [activity.id],
      childIds: [child.id],
      startIso: dayOfMonth(1),
      endIso: MONTH.endOf('month').toISODate()!,
    })

    const booking = await db.from('planning_bookings').where('activity_day_id', booked.id).firstOrFail()
    assert.deepEqual([...period.bookingIndex.entries()], [[`${child.id}:${booked.id}`, { id: booking.id, childId: child.id, activityDayId: booked.id, attendance: 'present' }]])
    assert.deepEqual([...period.waitingIndex], [`${child.id}:${waited.id}`])
    const holidays = period.dates.filter((day) => day.schoolHoliday).map((day) => [day.iso, day.schoolHoliday])
    assert.deepEqual(holidays, [20, 21, 22].map((n) => [dayOfMonth(n), 'Vacances de test']))
    assert.sameDeepMembers(period.closures, [
      { date: closedForAll.day, activityId: null, reason: 'Inventaire' },
      { date: closedForActivity.day, activityId: activity.id, reason: 'Sortie' },
    ])
  })
})

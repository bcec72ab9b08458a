import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import router from '@adonisjs/core/services/router'
import { historyService, Child } from '#modules/dossier/index'
import { registrationQueryService, type Activity } from '#modules/inscriptions/index'
import ActivityDay from '#modules/planning/models/activity_day'
import Booking from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import type { ActivityRules } from '#modules/planning/services/settings_service'
import { isBeforeDeadline } from '#modules/planning/services/deadline_rules'
import { describeDay } from '#modules/planning/services/booking_outcome'
import { takePlace } from '#modules/planning/services/place_counters'
import type { PlanningPromoted } from '#modules/planning/events'

/**
 * Gives a freed place to the first child in line whose age group has a place, while the
 * booking deadline of the day has not passed. Returns the event to announce after commit.
 */
export async function promoteFromWaitlist(
  dayId: number,
  activity: Activity,
  rules: ActivityRules,
  now: DateTime,
  trx: TransactionClientContract
): Promise<PlanningPromoted | null> {
  const day = await ActivityDay.query({ client: trx }).where('id', dayId).firstOrFail()
  if (day.closed || !isBeforeDeadline(rules.bookingDeadline, day.day, now)) return null
  const waiting = await WaitlistEntry.query({ client: trx }).where('activity_day_id', dayId).orderBy('id')
  for (const entry of waiting) {
    if (!(await registrationQueryService.isRegisteredOn(entry.childId, day.activityId, day.day, trx))) continue
    if (!(await takePlace(trx, dayId, entry.ageGroup, { openDayOnly: false }))) continue
    const booking = await Booking.create(
      {
        activityDayId: dayId,
        activityId: day.activityId,
        childId: entry.childId,
        familyId: entry.familyId,
        day: day.day,
        ageGroup: entry.ageGroup,
        late: false,
        forced: false,
        source: 'waitlist',
        bookedBy: entry.requestedBy,
        onBehalfReason: null,
      },
      { client: trx }
    )
    await trx.from('planning_waitlist_entries').where('id', entry.id).delete()
    const child = await Child.query({ client: trx }).where('id', entry.childId).firstOrFail()
    await historyService.record(
      entry.familyId,
      {
        module: 'planning',
        kind: 'waitlist-promoted',
        text: `Place obtenue depuis la liste d'attente : ${describeDay(activity.name, day.day, child.firstName)}`,
        link: router.makeUrl('planning.index'),
      },
      trx
    )
    return {
      familyId: entry.familyId,
      childFirstName: child.firstName,
      activityName: activity.name,
      date: day.day,
      childId: entry.childId,
      activityId: day.activityId,
      bookingId: booking.id,
    }
  }
  return null
}

import { DateTime } from 'luxon'
import Booking from '#modules/planning/models/booking'
import { isBeforeDeadline } from '#modules/planning/services/deadline_rules'
import { bookingRefusals, refuse, type BookOptions, type Outcome } from '#modules/planning/services/booking_outcome'
import { describeContext, onDay, recordChange, refuseUnlessRegistered, refuseUnlessTheirWeek } from '#modules/planning/services/booking_context'
import { addAndTakePlace, takePlace } from '#modules/planning/services/place_counters'
import { parisDayOf } from '#core/calendar_day'

/**
 * Books one day for one child, in one transaction with the place taken from the day's counter.
 * A parent is held to every rule; the service may book past the deadline (logged) and, when
 * asked, over capacity (the day's capacity grows by one, and shrinks back on cancellation).
 */
export function bookDay(familyId: number, childId: number, activityDayId: number, options: BookOptions): Promise<Outcome> {
  const now = options.now ?? DateTime.utc()
  return onDay(
    { familyId, childId, activityDayId },
    async (context, trx) => {
      const { day, rules, group } = context
      if (day.closed) refuse('closed', bookingRefusals.closed(day))
      await refuseUnlessRegistered(context, trx)
      refuseUnlessTheirWeek(context)
      const late = !isBeforeDeadline(rules.bookingDeadline, day.day, now)
      if (options.as === 'parent') {
        if (rules.bookingOpensOn && parisDayOf(now.toMillis()) < rules.bookingOpensOn) {
          refuse('not_open', bookingRefusals.notOpen(rules.bookingOpensOn))
        }
        if (late) refuse('deadline', bookingRefusals.deadline(rules, day.day))
      }
      const existing = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).first()
      if (existing) refuse('already_booked', bookingRefusals.alreadyBooked(describeContext(context)))

      let taken = await takePlace(trx, day.id, group, { openDayOnly: true })
      let forced = false
      if (!taken && options.as === 'staff' && options.overCapacity) {
        taken = await addAndTakePlace(trx, day.id, group)
        forced = taken
      }
      if (!taken) refuse('full', bookingRefusals.full(describeContext(context)), true)

      const booking = await Booking.create(
        {
          activityDayId: day.id,
          activityId: day.activityId,
          childId,
          familyId,
          day: day.day,
          ageGroup: group,
          late: options.as === 'staff' && late,
          forced,
          source: options.as,
          bookedBy: options.actor.id,
          onBehalfReason: options.as === 'staff' ? (options.reason ?? null) : null,
        },
        { client: trx }
      )
      await trx.from('planning_waitlist_entries').where('activity_day_id', day.id).where('child_id', childId).delete()
      await recordChange(context, { kind: 'booking', label: 'Réservation', bookingId: booking.id, details: { late, forced }, by: options }, trx)
      return { ok: true as const, status: 'booked' as const, bookingId: booking.id, message: `${describeContext(context)} : réservé.` }
    },
    { ok: false, reason: 'already_booked', message: 'Ce jour est déjà réservé.' }
  )
}

import { DateTime } from 'luxon'
import emitter from '@adonisjs/core/services/emitter'
import { formatDateTime } from '#core/format'
import { affectedRows } from '#core/sql_results'
import Booking from '#modules/planning/models/booking'
import { deadlineOf, isBeforeDeadline } from '#modules/planning/services/deadline_rules'
import { refuse, type CancelOptions, type Outcome } from '#modules/planning/services/booking_outcome'
import { describeContext, onDay, recordChange } from '#modules/planning/services/booking_context'
import { givePlaceBack } from '#modules/planning/services/place_counters'
import { offerFreedPlace } from '#modules/planning/services/waitlist_offers'
import type { PlanningOfferMade } from '#modules/planning/events'

/**
 * Cancels one booked day: the place goes back to the day's counter and, in the same
 * transaction, is offered (and held) to the first child waiting for it (announced once
 * committed). A forced place (over capacity) only takes back the capacity it added: nobody is
 * offered it.
 */
export async function cancelBooking(familyId: number, childId: number, activityDayId: number, options: CancelOptions): Promise<Outcome> {
  const now = options.now ?? DateTime.utc()
  const offers: PlanningOfferMade[] = []
  const outcome = await onDay({ familyId, childId, activityDayId }, async (context, trx) => {
    const { day, rules } = context
    // under shared custody each household cancels only what it booked
    const booking = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).where('family_id', familyId).first()
    if (!booking) refuse('not_booked', `${describeContext(context)} : ce jour n'était pas réservé.`)
    if (options.as === 'parent' && !isBeforeDeadline(rules.cancelDeadline, day.day, now)) {
      refuse(
        'deadline',
        `Délai d'annulation dépassé (jusqu'au ${formatDateTime(deadlineOf(rules.cancelDeadline, day.day))}) : vous pouvez déclarer une absence.`
      )
    }
    const removed = affectedRows(await trx.from('planning_bookings').where('id', booking.id).delete())
    if (removed !== 1) refuse('not_booked', `${describeContext(context)} : ce jour n'était plus réservé.`)
    await givePlaceBack(trx, day.id, booking.ageGroup, booking.forced)

    await recordChange(context, { kind: 'cancellation', label: 'Annulation', bookingId: booking.id, by: options }, trx)
    if (!booking.forced) {
      const offer = await offerFreedPlace(day.id, context.activity, rules, now, trx)
      if (offer) offers.push(offer)
    }
    return {
      ok: true as const,
      status: 'cancelled' as const,
      message: `${describeContext(context)} : annulé.`,
      changed: { activityName: context.activity.name, isoDay: day.day, childFirstName: context.child.firstName },
    }
  })
  for (const offer of offers) await emitter.emit('planning:offer-made', offer)
  return outcome
}

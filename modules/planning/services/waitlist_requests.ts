import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import { affectedRows } from '#core/sql_results'
import { historyService } from '#modules/dossier/index'
import Booking from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { isBeforeDeadline } from '#modules/planning/services/deadline_rules'
import { bookingRefusals, refuse, type BookOptions, type Outcome } from '#modules/planning/services/booking_outcome'
import { describeContext, onDay, refuseUnlessRegistered, refuseUnlessTheirWeek } from '#modules/planning/services/booking_context'

/** Puts a child on the waiting list of a full day (a day with a place is booked instead). */
export function joinWaitlist(familyId: number, childId: number, activityDayId: number, options: BookOptions): Promise<Outcome> {
  const now = options.now ?? DateTime.utc()
  return onDay(
    { familyId, childId, activityDayId },
    async (context, trx) => {
      const { day, rules, group } = context
      if (day.closed) refuse('closed', 'Journée fermée.')
      await refuseUnlessRegistered(context, trx)
      refuseUnlessTheirWeek(context)
      if (options.as === 'parent' && !isBeforeDeadline(rules.bookingDeadline, day.day, now)) {
        refuse('deadline', "Délai de réservation dépassé : la liste d'attente est close pour ce jour.")
      }
      const booked = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).first()
      if (booked) refuse('already_booked', bookingRefusals.alreadyBooked(describeContext(context)))
      if (day.placesLeft(group) > 0) {
        refuse('has_place', `${describeContext(context)} : il reste une place, cochez le jour pour le réserver.`)
      }
      await WaitlistEntry.create(
        { activityDayId: day.id, activityId: day.activityId, childId, familyId, day: day.day, ageGroup: group, requestedBy: options.actor.id },
        { client: trx }
      )
      await historyService.record(
        familyId,
        { module: 'planning', kind: 'waitlist', text: `Liste d'attente : ${describeContext(context)}`, link: router.makeUrl('planning.index') },
        trx
      )
      const rank = await trx
        .from('planning_waitlist_entries')
        .where('activity_day_id', day.id)
        .where('age_group', group)
        .count('* as total')
        .first()
      return {
        ok: true as const,
        status: 'waitlisted' as const,
        message: `${describeContext(context)} : en liste d'attente (rang ${Number(rank?.total ?? 1)}).`,
      }
    },
    { ok: false, reason: 'already_waiting', message: "Déjà en liste d'attente pour ce jour." }
  )
}

/** Takes a child off a day's waiting list (a place offered to it passes on); false when the child was not on it. */
export async function leaveWaitlist(familyId: number, childId: number, activityDayId: number): Promise<boolean> {
  if (await waitlistOfferService.declineFor(familyId, childId, activityDayId)) return true
  const removed = await db
    .from('planning_waitlist_entries')
    .where('family_id', familyId)
    .where('child_id', childId)
    .where('activity_day_id', activityDayId)
    .delete()
  return affectedRows(removed) > 0
}

import type { PickupDay } from '#modules/dossier/index'
import Booking from '#modules/planning/models/booking'

/** The days the family booked for these children between two ISO days (included), absences left out. */
export default async function pickupDays(query: { familyId: number; childIds: number[]; from: string; to: string }): Promise<PickupDay[]> {
  if (!query.childIds.length) return []
  const bookings = await Booking.query()
    .where('family_id', query.familyId)
    .whereIn('child_id', query.childIds)
    .whereBetween('day', [query.from, query.to])
    .whereNull('absence_declared_at')
    .preload('activityDay', (days) => days.preload('activity'))
    .orderBy('day')
    .orderBy('child_id')
  return bookings.map((booking) => ({ day: booking.day, childId: booking.childId, activity: booking.activityDay.activity.name }))
}

import Booking from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import bookingService from '#modules/planning/services/booking_service'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { addDays, parisDayOf } from '#core/calendar_day'

/**
 * A shared custody ended: the days after its last one are the child's family's again, so the
 * other household's coming bookings of them give their places back (offered to the waiting
 * lists), its waiting-list requests go and the places held for it pass on; past days stay for billing.
 */
export async function releaseAfterCustody(event: { childId: number; otherFamilyId: number; endsOn: string }): Promise<number> {
  const today = parisDayOf()
  const from = event.endsOn >= today ? event.endsOn : today
  const bookings = await Booking.query().where('child_id', event.childId).where('family_id', event.otherFamilyId).where('day', '>', from).orderBy('day')
  let released = 0
  for (const booking of bookings) {
    const outcome = await bookingService.cancel(booking.familyId, booking.childId, booking.activityDayId, {
      as: 'staff',
      actor: { id: 0, fullName: 'Portail (fin de garde alternée)' },
      reason: `Fin de la garde alternée le ${event.endsOn}`,
    })
    if (outcome.ok) released += 1
  }
  await WaitlistEntry.query().where('child_id', event.childId).where('family_id', event.otherFamilyId).where('day', '>', from).delete()
  // places held for the other household pass to the next in line
  await waitlistOfferService.withdrawFrom(event.otherFamilyId, event.childId, addDays(from, 1))
  return released
}

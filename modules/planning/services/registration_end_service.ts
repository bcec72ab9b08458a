import { Registration } from '#modules/inscriptions/index'
import Booking from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import bookingService from '#modules/planning/services/booking_service'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { addDays, parisDayOf } from '#core/calendar_day'

/**
 * When a registration ends or is cancelled, the child's coming bookings of that activity after
 * its last day give their places back (offered to the waiting lists), and so do the places held
 * for the child on those days; past days stay for billing.
 */
class RegistrationEndService {
  async release(registrationId: number): Promise<number> {
    const registration = await Registration.find(registrationId)
    if (!registration || registration.state !== 'cancelled') return 0
    const today = parisDayOf()
    const after = registration.endDate && registration.endDate >= today ? registration.endDate : null
    const query = Booking.query().where('child_id', registration.childId).where('activity_id', registration.activityId)
    if (after) query.where('day', '>', after)
    else query.where('day', '>=', today)
    const bookings = await query.orderBy('day')
    let released = 0
    for (const booking of bookings) {
      const outcome = await bookingService.cancel(booking.familyId, registration.childId, booking.activityDayId, {
        as: 'staff',
        actor: { id: 0, fullName: 'Portail (fin d’inscription)' },
        reason: `Fin de l'inscription n° ${registration.id}`,
      })
      if (outcome.ok) released += 1
    }
    const waiting = WaitlistEntry.query().where('child_id', registration.childId).where('activity_id', registration.activityId)
    if (after) waiting.where('day', '>', after)
    else waiting.where('day', '>=', today)
    await waiting.delete()
    // places held for the child pass to the next in line
    const from = after ? addDays(after, 1) : today
    await waitlistOfferService.withdrawFrom(registration.familyId, registration.childId, from, registration.activityId)
    return released
  }
}

const registrationEndService = new RegistrationEndService()
export default registrationEndService

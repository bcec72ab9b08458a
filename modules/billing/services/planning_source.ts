import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Booking from '#modules/planning/models/booking'
import Registration from '#modules/inscriptions/models/registration'
import type { BillingSource, BookedDay, RegistrationFee } from '#modules/billing/services/billing_source'

function monthBounds(month: string) {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'Europe/Paris' })
  return { first: start.toISODate()!, last: start.endOf('month').toISODate()!, from: start.toUTC(), to: start.plus({ months: 1 }).toUTC() }
}

/**
 * The real source of an invoice run: planning's booked days (attendance, late flag) and
 * inscriptions' registrations validated during the month (the activity's fee).
 */
export const planningSource: BillingSource = {
  async bookedDays(month: string): Promise<BookedDay[]> {
    const { first, last } = monthBounds(month)
    const bookings = await Booking.query()
      .whereBetween('day', [first, last])
      .select('family_id', 'child_id', 'activity_id', 'day', 'attendance', 'late')
      .orderBy('family_id')
      .orderBy('day')
    return bookings.map((booking) => ({
      familyId: booking.familyId,
      childId: booking.childId,
      activityId: booking.activityId,
      day: booking.day,
      attendance: booking.attendance ?? 'unknown',
      late: Boolean(booking.late),
    }))
  },

  async registrationFees(month: string): Promise<RegistrationFee[]> {
    const { from, to } = monthBounds(month)
    const format = db.connection().dialect.dateTimeFormat
    const registrations = await Registration.query()
      .where('state', 'validated')
      .whereNotNull('decided_at')
      .where('decided_at', '>=', from.toFormat(format))
      .where('decided_at', '<', to.toFormat(format))
      .preload('activity')
    return registrations
      .filter((registration) => registration.activity.feeCents > 0)
      .map((registration) => ({
        familyId: registration.familyId,
        childId: registration.childId,
        activityId: registration.activityId,
        feeCents: registration.activity.feeCents,
        validatedOn: registration.decidedAt!.setZone('Europe/Paris').toISODate()!,
      }))
  },
}

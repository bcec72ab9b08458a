import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { billingFeedService } from '#modules/planning/index'
import { Registration } from '#modules/inscriptions/index'
import type { BillingSource, BookedDay, RegistrationFee } from '#modules/billing/services/billing_source'

type Scope = { familyId?: number }

function monthBounds(month: string) {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'Europe/Paris' })
  return { from: start.toUTC(), to: start.plus({ months: 1 }).toUTC() }
}

async function bookedDays(month: string, scope: Scope): Promise<BookedDay[]> {
  const groups = await billingFeedService.bookingsForMonth(month, undefined, scope)
  return groups.flatMap((group) =>
    group.days.map((day) => ({
      familyId: group.familyId,
      childId: group.childId,
      activityId: group.activityId,
      day: day.date,
      attendance: day.attendance,
      late: day.late,
    }))
  )
}

async function registrationFees(month: string, scope: Scope): Promise<RegistrationFee[]> {
  const { from, to } = monthBounds(month)
  const format = db.connection().dialect.dateTimeFormat
  const query = Registration.query()
  if (scope.familyId !== undefined) query.where('family_id', scope.familyId)
  const registrations = await query
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
}

/**
 * The real source of an invoice run: planning's billing feed (booked days with attendance and
 * the late flag; cancelled days are not in it) and
 * inscriptions' registrations validated during the month (the activity's fee). Scoped to one
 * family, the same source prices its month before the run (the home page's estimate).
 */
export function planningSourceFor(scope: Scope = {}): BillingSource {
  return {
    bookedDays: (month) => bookedDays(month, scope),
    registrationFees: (month) => registrationFees(month, scope),
  }
}

export const planningSource: BillingSource = planningSourceFor()

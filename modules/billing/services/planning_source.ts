import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { billingFeedService } from '#modules/planning/index'
import { Registration } from '#modules/inscriptions/index'
import { scopeOf, type BillingSource, type BookedDay, type MonthScope, type RegistrationFee } from '#modules/billing/services/billing_source'

type Scope = { familyId?: number }

function monthBounds(month: string) {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'Europe/Paris' })
  return { from: start.toUTC(), to: start.plus({ months: 1 }).toUTC() }
}

async function bookedDays(month: string, scope: Scope, familyIds?: readonly number[]): Promise<BookedDay[]> {
  const groups = await billingFeedService.bookingsForMonth(month, undefined, { ...scope, familyIds })
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

/** The registrations validated during the month. */
function validatedInMonth(month: string, scope: Scope, familyIds?: readonly number[]) {
  const { from, to } = monthBounds(month)
  const format = db.connection().dialect.dateTimeFormat
  const query = Registration.query()
  if (scope.familyId !== undefined) query.where('family_id', scope.familyId)
  if (familyIds) query.whereIn('family_id', [...familyIds])
  return query
    .where('state', 'validated')
    .whereNotNull('decided_at')
    .where('decided_at', '>=', from.toFormat(format))
    .where('decided_at', '<', to.toFormat(format))
}

async function registrationFees(month: string, scope: Scope, familyIds?: readonly number[]): Promise<RegistrationFee[]> {
  const registrations = await validatedInMonth(month, scope, familyIds).preload('activity')
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

/** Who the month bills: the families that booked, and those with a paying registration validated that month. */
async function monthScope(month: string, scope: Scope): Promise<MonthScope> {
  const booked = (await billingFeedService.bookersOfMonth(month)).filter((row) => scope.familyId === undefined || row.familyId === scope.familyId)
  const fees = await validatedInMonth(month, scope)
    .join('activities', 'activities.id', 'registrations.activity_id')
    .where('activities.fee_cents', '>', 0)
    .select('registrations.family_id', 'registrations.activity_id')
    .pojo<{ family_id: number; activity_id: number }>()
  return scopeOf([...booked, ...fees.map((row) => ({ familyId: Number(row.family_id), activityId: Number(row.activity_id) }))])
}

/**
 * The real source of an invoice run: planning's billing feed (booked days with attendance and
 * the late flag; cancelled days are not in it) and
 * inscriptions' registrations validated during the month (the activity's fee). Scoped to one
 * family, the same source prices its month before the run (the home page's estimate).
 */
export function planningSourceFor(scope: Scope = {}): BillingSource {
  return {
    monthScope: (month) => monthScope(month, scope),
    bookedDays: (month, familyIds) => bookedDays(month, scope, familyIds),
    registrationFees: (month, familyIds) => registrationFees(month, scope, familyIds),
  }
}

export const planningSource: BillingSource = planningSourceFor()

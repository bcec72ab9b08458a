import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export type BilledAttendance = 'present' | 'absent' | 'justified' | 'unknown'

export interface BilledDay {
  /** ISO day AAAA-MM-JJ. */
  date: string
  bookingId: number
  /** Taken by the staff on the day sheet, or declared by the family; 'unknown' when not taken yet. */
  attendance: BilledAttendance
  /** Booked after the booking deadline (by the service on the family's behalf): late-booking surcharge. */
  late: boolean
  /** 'parent', 'staff' (on behalf) or 'waitlist' (promoted from the waiting list). */
  source: string
}

export interface BilledActivity {
  familyId: number
  childId: number
  childFirstName: string
  childLastName: string
  activityId: number
  activityName: string
  unitLabel: string
  days: BilledDay[]
}

/**
 * The public face of planning for billing: what each family booked in a month, per child and
 * activity, with attendance and the late flag. Read-only; pass the transaction when inside one,
 * and `{ familyId }` for one family's month (the home page's estimate, a basket's cost).
 */
class BillingFeedService {
  async bookingsForMonth(month: string, client?: TransactionClientContract, scope: { familyId?: number; familyIds?: readonly number[] } = {}): Promise<BilledActivity[]> {
    const { from, to } = monthDays(month)
    const query = (client ?? db).from('planning_bookings')
    if (scope.familyId !== undefined) query.where('planning_bookings.family_id', scope.familyId)
    if (scope.familyIds) query.whereIn('planning_bookings.family_id', [...scope.familyIds])
    const rows = await query
      .join('children', 'children.id', 'planning_bookings.child_id')
      .join('activities', 'activities.id', 'planning_bookings.activity_id')
      .whereBetween('planning_bookings.day', [from, to])
      .select(
        'planning_bookings.id',
        'planning_bookings.family_id',
        'planning_bookings.child_id',
        'planning_bookings.activity_id',
        'planning_bookings.day',
        'planning_bookings.attendance',
        'planning_bookings.late',
        'planning_bookings.source',
        'children.first_name',
        'children.last_name',
        'activities.name as activity_name',
        'activities.unit_label'
      )
      .orderBy('planning_bookings.family_id')
      .orderBy('planning_bookings.child_id')
      .orderBy('planning_bookings.activity_id')
      .orderBy('planning_bookings.day')
    const groups = new Map<string, BilledActivity>()
    for (const row of rows) {
      const key = `${row.family_id}:${row.child_id}:${row.activity_id}`
      let group = groups.get(key)
      if (!group) {
        group = {
          familyId: Number(row.family_id),
          childId: Number(row.child_id),
          childFirstName: row.first_name,
          childLastName: row.last_name,
          activityId: Number(row.activity_id),
          activityName: row.activity_name,
          unitLabel: row.unit_label,
          days: [],
        }
        groups.set(key, group)
      }
      group.days.push({
        date: row.day,
        bookingId: Number(row.id),
        attendance: (['present', 'absent', 'justified'].includes(row.attendance) ? row.attendance : 'unknown') as BilledAttendance,
        late: Boolean(row.late),
        source: row.source,
      })
    }
    return [...groups.values()]
  }

  /**
   * Who booked in the month, and what: each family and activity once, by family. An invoice run
   * walks through these families a page at a time (bookingsForMonth with `familyIds`) instead of
   * reading the whole month's days at once (400,000 rows at 20,000 families: seconds in one call).
   */
  async bookersOfMonth(month: string): Promise<{ familyId: number; activityId: number }[]> {
    const { from, to } = monthDays(month)
    const rows = await db.from('planning_bookings').whereBetween('day', [from, to]).distinct('family_id', 'activity_id').orderBy('family_id')
    return rows.map((row) => ({ familyId: Number(row.family_id), activityId: Number(row.activity_id) }))
  }
}

function monthDays(month: string) {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' })
  if (!/^\d{4}-\d{2}$/.test(month) || !start.isValid) throw new Error(`Mois invalide : « ${month} » (attendu AAAA-MM)`)
  return { from: start.toISODate()!, to: start.endOf('month').toISODate()! }
}

const billingFeedService = new BillingFeedService()
export default billingFeedService

import { directRead, listOf } from '#core/direct_sql'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Registration from '#modules/inscriptions/models/registration'
import { parisDayOf } from '#core/calendar_day'

// Made once: localeCompare with a locale builds a new collator at each call (about 0.3 ms),
// and the month planning asks on every view.
const FRENCH = new Intl.Collator('fr')

const BOOKABLE_COLUMNS = [
  'registrations.id',
  'registrations.child_id',
  'registrations.activity_id',
  'registrations.state',
  'registrations.start_date',
  'registrations.end_date',
  'activities.name as activity_name',
  'activities.starts_on',
  'activities.ends_on',
  'activity_types.name as type_name',
  'children.first_name',
  'children.birth_date',
]

/** What a planning shows of a registration that opens days for booking (a plain read model). */
export interface BookableRegistration {
  id: number
  childId: number
  activityId: number
  state: 'validated' | 'cancelled'
  startDate: string
  endDate: string | null
  activity: { name: string; startsOn: string; endsOn: string; typeName: string }
  child: { id: number; firstName: string; birthDate: string }
}

/**
 * The public face of inscriptions for the modules that depend on it (planning, billing):
 * read-only questions about who is registered where.
 */
class RegistrationQueryService {
  /**
   * The same registrations as validatedRegistrationsForFamily, in the same order, read in one
   * query as plain rows (the month planning asks on every view: four model queries and their
   * hydration were most of its database time).
   */
  async bookableRegistrationsForFamily(familyId: number): Promise<BookableRegistration[]> {
    const today = parisDayOf()
    // Every month page asks: one statement written once for the driver.
    const rows = await directRead(
      `select ${BOOKABLE_COLUMNS.join(', ')} from registrations ` +
        'inner join activities on activities.id = registrations.activity_id ' +
        'inner join children on children.id = registrations.child_id ' +
        'left join activity_types on activity_types.id = activities.activity_type_id ' +
        "where registrations.family_id = ? and (registrations.state = 'validated' " +
        "or (registrations.state = 'cancelled' and registrations.end_date is not null and registrations.end_date >= ?))",
      [familyId, today]
    )
    const registrations: BookableRegistration[] = rows.map((row: any) => ({
      id: row.id,
      childId: row.child_id,
      activityId: row.activity_id,
      state: row.state,
      startDate: row.start_date,
      endDate: row.end_date ?? null,
      activity: { name: row.activity_name, startsOn: row.starts_on, endsOn: row.ends_on, typeName: row.type_name ?? '' },
      child: { id: row.child_id, firstName: row.first_name, birthDate: row.birth_date },
    }))
    return registrations.sort(
      (a, b) => FRENCH.compare(a.child.firstName, b.child.firstName) || a.activity.startsOn.localeCompare(b.activity.startsOn) || a.id - b.id
    )
  }

  /**
   * The family's registrations that open days for booking: validated ones, and ended ones
   * (cancelled with an end date) whose last day has not passed. Activity and child preloaded,
   * by child first name then activity start.
   */
  async validatedRegistrationsForFamily(familyId: number, client?: TransactionClientContract): Promise<Registration[]> {
    const today = parisDayOf()
    const rows = await Registration.query({ client })
      .where('family_id', familyId)
      .where((query) => {
        query
          .where('state', 'validated')
          .orWhere((ended) => ended.where('state', 'cancelled').whereNotNull('end_date').where('end_date', '>=', today))
      })
      .preload('activity', (query) => query.preload('activityType'))
      .preload('child')
    return rows.sort(
      (a, b) => FRENCH.compare(a.child.firstName, b.child.firstName) || a.activity.startsOn.localeCompare(b.activity.startsOn) || a.id - b.id
    )
  }

  /**
   * Whether the child may attend the activity on an ISO day: a validated registration (or one
   * ended later than that day) whose period covers the day, within the activity's period and
   * on one of its weekdays.
   */
  async isRegisteredOn(childId: number, activityId: number, isoDate: string, client?: TransactionClientContract): Promise<boolean> {
    return (await this.registeredOnCheck([childId], [activityId], client))(childId, activityId, isoDate)
  }

  /**
   * The same question for many children, activities and days at once: one query, then an
   * answer in memory for each (child, activity, day).
   */
  async registeredOnCheck(
    childIds: number[],
    activityIds: number[],
    client?: TransactionClientContract
  ): Promise<(childId: number, activityId: number, isoDate: string) => boolean> {
    const spans = new Map<string, RegistrationSpan[]>()
    if (childIds.length && activityIds.length) {
      const rows = await directRead(
        'select registrations.child_id, registrations.activity_id, registrations.state, registrations.start_date, registrations.end_date, ' +
          'activities.starts_on, activities.ends_on, activities.weekdays from registrations ' +
          'inner join activities on activities.id = registrations.activity_id ' +
          'where registrations.child_id in (?) and registrations.activity_id in (?) ' +
          "and registrations.state in ('validated', 'cancelled')",
        [listOf(childIds), listOf(activityIds)],
        client
      )
      for (const row of rows) {
        const key = `${row.child_id}:${row.activity_id}`
        const list = spans.get(key) ?? []
        list.push({
          state: row.state,
          startDate: row.start_date,
          endDate: row.end_date ?? null,
          startsOn: row.starts_on,
          endsOn: row.ends_on,
          weekdays: parseWeekdays(row.weekdays),
        })
        spans.set(key, list)
      }
    }
    return (childId, activityId, isoDate) => (spans.get(`${childId}:${activityId}`) ?? []).some((span) => covers(span, isoDate))
  }
}

interface RegistrationSpan {
  state: string
  startDate: string
  endDate: string | null
  startsOn: string
  endsOn: string
  weekdays: number[]
}

function covers(span: RegistrationSpan, isoDate: string): boolean {
  if (span.startDate > isoDate || span.startsOn > isoDate || span.endsOn < isoDate) return false
  const open =
    span.state === 'validated' ? span.endDate === null || span.endDate >= isoDate : span.state === 'cancelled' && span.endDate !== null && span.endDate >= isoDate
  return open && (span.weekdays.length === 0 || span.weekdays.includes(isoWeekday(isoDate)))
}

function parseWeekdays(value: unknown): number[] {
  try {
    const list = typeof value === 'string' ? JSON.parse(value) : value
    return Array.isArray(list) ? list.map(Number) : []
  } catch {
    return []
  }
}

/** 1 = Monday ... 7 = Sunday for an ISO day (calendar day, no time zone involved). */
function isoWeekday(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number)
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  return weekday === 0 ? 7 : weekday
}

const registrationQueryService = new RegistrationQueryService()
export default registrationQueryService

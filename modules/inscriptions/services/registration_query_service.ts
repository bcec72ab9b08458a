import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Registration from '#modules/inscriptions/models/registration'

/**
 * The public face of inscriptions for the modules that depend on it (planning, billing):
 * read-only questions about who is registered where.
 */
class RegistrationQueryService {
  /**
   * The family's registrations that open days for booking: validated ones, and ended ones
   * (cancelled with an end date) whose last day has not passed. Activity and child preloaded,
   * by child first name then activity start.
   */
  async validatedRegistrationsForFamily(familyId: number, client?: TransactionClientContract): Promise<Registration[]> {
    const today = new Date().toLocaleDateString('sv-SE', {
      timeZone: 'Europe/Paris',
    })
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
      (a, b) => a.child.firstName.localeCompare(b.child.firstName, 'fr') || a.activity.startsOn.localeCompare(b.activity.startsOn) || a.id - b.id
    )
  }

  /**
   * Whether the child may attend the activity on an ISO day: a validated registration (or one
   * ended later than that day) whose period covers the day, within the activity's period and
   * on one of its weekdays.
   */
  async isRegisteredOn(childId: number, activityId: number, isoDate: string, client?: TransactionClientContract): Promise<boolean> {
    const row = await (client ?? db)
      .from('registrations')
      .join('activities', 'activities.id', 'registrations.activity_id')
      .where('registrations.child_id', childId)
      .where('registrations.activity_id', activityId)
      .where('registrations.start_date', '<=', isoDate)
      .where('activities.starts_on', '<=', isoDate)
      .where('activities.ends_on', '>=', isoDate)
      .where((query) => {
        query
          .where((validated) =>
            validated
              .where('registrations.state', 'validated')
              .where((end) => end.whereNull('registrations.end_date').orWhere('registrations.end_date', '>=', isoDate))
          )
          .orWhere((ended) =>
            ended.where('registrations.state', 'cancelled').whereNotNull('registrations.end_date').where('registrations.end_date', '>=', isoDate)
          )
      })
      .select('activities.weekdays')
      .first()
    if (!row) return false
    const weekdays = parseWeekdays(row.weekdays)
    const day = isoWeekday(isoDate)
    return weekdays.length === 0 || weekdays.includes(day)
  }
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

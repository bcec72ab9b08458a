import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import PlanningSetting from '#modules/planning/models/planning_setting'
import { directRead, listOf } from '#core/direct_sql'
import { DEFAULT_DEADLINE, parseDeadline, type DeadlineRule } from '#modules/planning/services/deadline_rules'
import type { HolidayMode } from '#modules/planning/services/day_generator'

export interface ActivityRules {
  activityId: number
  bookingOpensOn: string | null
  bookingDeadline: DeadlineRule
  cancelDeadline: DeadlineRule
  holidayMode: HolidayMode
  roomCapacity: number
  capacityUnder6: number
  capacityOver6: number
  configured: boolean
}

type SettingValues = Pick<PlanningSetting, 'bookingOpensOn' | 'bookingDeadline' | 'cancelDeadline' | 'holidayMode' | 'roomCapacity' | 'capacityUnder6' | 'capacityOver6'>

function fromSetting(activityId: number, setting: SettingValues | null): ActivityRules {
  return {
    activityId,
    bookingOpensOn: setting?.bookingOpensOn ?? null,
    bookingDeadline: setting?.bookingDeadline ?? DEFAULT_DEADLINE,
    cancelDeadline: setting?.cancelDeadline ?? DEFAULT_DEADLINE,
    holidayMode: setting?.holidayMode ?? 'all',
    roomCapacity: setting?.roomCapacity ?? 0,
    capacityUnder6: setting?.capacityUnder6 ?? 0,
    capacityOver6: setting?.capacityOver6 ?? 0,
    configured: Boolean(setting),
  }
}

/** The booking rules of activities (defaults when the service has not set them yet). */
class SettingsService {
  async rulesFor(activityId: number, client?: TransactionClientContract): Promise<ActivityRules> {
    const setting = await PlanningSetting.query({ client }).where('activity_id', activityId).first()
    return fromSetting(activityId, setting)
  }

  async rulesForMany(activityIds: number[], client?: TransactionClientContract): Promise<Map<number, ActivityRules>> {
    const map = new Map<number, ActivityRules>()
    if (!activityIds.length) return map
    const byActivity = new Map<number, SettingValues>()
    // The month page and the booking transaction (client): one statement, read straight from the driver.
    const rows = await directRead(
      'select activity_id, booking_opens_on, booking_deadline, cancel_deadline, holiday_mode, room_capacity, capacity_under6, capacity_over6 ' +
        'from planning_settings where activity_id in (?)',
      [listOf(activityIds)],
      client
    )
    for (const row of rows) {
      byActivity.set(row.activity_id, {
        bookingOpensOn: row.booking_opens_on,
        bookingDeadline: parseDeadline(row.booking_deadline),
        cancelDeadline: parseDeadline(row.cancel_deadline),
        holidayMode: row.holiday_mode,
        roomCapacity: row.room_capacity,
        capacityUnder6: row.capacity_under6,
        capacityOver6: row.capacity_over6,
      })
    }
    for (const id of activityIds) map.set(id, fromSetting(id, byActivity.get(id) ?? null))
    return map
  }
}

const settingsService = new SettingsService()
export default settingsService

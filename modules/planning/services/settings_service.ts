import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import PlanningSetting from '#modules/planning/models/planning_setting'
import { DEFAULT_DEADLINE, type DeadlineRule } from '#modules/planning/services/deadline_rules'
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

function fromSetting(activityId: number, setting: PlanningSetting | null): ActivityRules {
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
    const settings = await PlanningSetting.query({ client }).whereIn('activity_id', activityIds)
    const byActivity = new Map(settings.map((setting) => [setting.activityId, setting]))
    for (const id of activityIds) map.set(id, fromSetting(id, byActivity.get(id) ?? null))
    return map
  }
}

const settingsService = new SettingsService()
export default settingsService

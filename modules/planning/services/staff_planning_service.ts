import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { Activity } from '#modules/inscriptions/index'
import PlanningSetting, { RATIOS, type RatioKind } from '#modules/planning/models/planning_setting'
import SchoolHoliday from '#modules/planning/models/school_holiday'
import Closure from '#modules/planning/models/closure'
import { generateDays, type HolidayMode } from '#modules/planning/services/day_generator'
import { bookGeneratedDays } from '#modules/planning/services/pattern_generated_days'
import { DEFAULT_DEADLINE, validateDeadline, type DeadlineRule } from '#modules/planning/services/deadline_rules'
import { parisDayOf } from '#core/calendar_day'

export interface SettingsInput {
  room_capacity: number
  ratio_kind: RatioKind
  staff_under6: number
  staff_over6: number
  holiday_mode: HolidayMode
  booking_opens_on?: string
  [key: string]: unknown
}

/** A deadline rule from the staff form fields `<prefix>_kind`, `_days`, `_hours`, `_weekday`, `_time`, `_skip_weekends`. */
export function deadlineFromForm(input: Record<string, unknown>, prefix: 'booking' | 'cancel'): DeadlineRule | null {
  const kind = input[`${prefix}_kind`]
  return validateDeadline({
    kind,
    days: input[`${prefix}_days`] ?? 0,
    hours: input[`${prefix}_hours`] ?? 0,
    weekday: input[`${prefix}_weekday`] ?? 4,
    time: input[`${prefix}_time`] ?? '12:00',
    dayStart: input[`${prefix}_time`] ?? '08:00',
    skipWeekends: Boolean(input[`${prefix}_skip_weekends`]),
  })
}

/** Capacity of a day from the adults on duty (DOMAIN.md ratios). */
export function capacityFromStaff(kind: RatioKind, staffUnder6: number, staffOver6: number) {
  const ratio = RATIOS[kind]
  return { under6: staffUnder6 * ratio.under6, over6: staffOver6 * ratio.over6 }
}

/** What the staff set up: the rules of an activity and its days. */
class StaffPlanningService {
  async saveSettings(activityId: number, input: SettingsInput): Promise<PlanningSetting> {
    const capacities = capacityFromStaff(input.ratio_kind, input.staff_under6, input.staff_over6)
    const values = {
      activityId,
      roomCapacity: input.room_capacity,
      ratioKind: input.ratio_kind,
      staffUnder6: input.staff_under6,
      staffOver6: input.staff_over6,
      capacityUnder6: capacities.under6,
      capacityOver6: capacities.over6,
      holidayMode: input.holiday_mode,
      bookingOpensOn: input.booking_opens_on ?? null,
      bookingDeadline: deadlineFromForm(input, 'booking') ?? DEFAULT_DEADLINE,
      cancelDeadline: deadlineFromForm(input, 'cancel') ?? DEFAULT_DEADLINE,
    }
    return PlanningSetting.updateOrCreate({ activityId }, values)
  }

  /**
   * Creates the missing days of the activity over its period (weekdays, minus public holidays,
   * closures and school holidays per the activity's mode), with the settings' places. Days
   * already there keep their bookings and counters.
   */
  async generate(activity: Activity, setting: PlanningSetting, range?: { from?: string; to?: string }) {
    const from = range?.from && range.from > activity.startsOn ? range.from : activity.startsOn
    const to = range?.to && range.to < activity.endsOn ? range.to : activity.endsOn
    const [holidays, closures] = await Promise.all([
      SchoolHoliday.query().where('starts_on', '<=', to).where('ends_on', '>=', from),
      Closure.query().whereBetween('date', [from, to]).where((query) => query.whereNull('activity_id').orWhere('activity_id', activity.id)),
    ])
    const generated = generateDays({
      startsOn: from,
      endsOn: to,
      weekdays: activity.weekdays.length ? activity.weekdays : [1, 2, 3, 4, 5],
      mode: setting.holidayMode,
      schoolHolidays: holidays.map((h) => ({ name: h.name, startsOn: h.startsOn, endsOn: h.endsOn })),
      closures: closures.map((c) => ({ date: c.date, reason: c.reason })),
    })
    const open = generated.filter((day) => !day.skippedBecause)
    const stamp = DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat)
    const rows = open.map((day) => ({
      activity_id: activity.id,
      day: day.date,
      room_capacity: setting.roomCapacity,
      capacity_under6: Math.min(setting.capacityUnder6, setting.roomCapacity),
      capacity_over6: Math.min(setting.capacityOver6, setting.roomCapacity),
      booked_under6: 0,
      booked_over6: 0,
      closed: false,
      created_at: stamp,
      updated_at: stamp,
    }))
    const existing = new Set(
      (await db.from('activity_days').where('activity_id', activity.id).whereBetween('day', [from, to]).select('day')).map((row) => String(row.day))
    )
    const missing = rows.filter((row) => !existing.has(row.day))
    await db.transaction(async (trx) => {
      for (let i = 0; i < missing.length; i += 200) await trx.table('activity_days').multiInsert(missing.slice(i, i + 200))
    })
    // the families' weekly patterns book the new days, under the basket's rules
    const patterns = await bookGeneratedDays(
      activity.id,
      missing.map((row) => row.day)
    )
    // the coming days already there take the new places, unless more children are booked than that
    const today = parisDayOf()
    const capacityUnder6 = Math.min(setting.capacityUnder6, setting.roomCapacity)
    const capacityOver6 = Math.min(setting.capacityOver6, setting.roomCapacity)
    const updated = await db
      .from('activity_days')
      .where('activity_id', activity.id)
      .whereBetween('day', [from > today ? from : today, to])
      .whereNotIn('day', missing.map((row) => row.day))
      .where('booked_under6', '<=', capacityUnder6)
      .where('booked_over6', '<=', capacityOver6)
      .whereRaw('booked_under6 + booked_over6 <= ?', [setting.roomCapacity])
      .whereRaw('NOT EXISTS (SELECT 1 FROM planning_bookings b WHERE b.activity_day_id = activity_days.id AND b.forced = ?)', [true])
      .update({ room_capacity: setting.roomCapacity, capacity_under6: capacityUnder6, capacity_over6: capacityOver6, updated_at: stamp })
    const coming = await db
      .from('activity_days')
      .where('activity_id', activity.id)
      .whereBetween('day', [from > today ? from : today, to])
      .count('* as total')
      .first()
    return {
      updated: Number(Array.isArray(updated) ? updated[0] : updated) || 0,
      notLowered: Number(coming?.total ?? 0) - missing.filter((row) => row.day >= today).length - (Number(Array.isArray(updated) ? updated[0] : updated) || 0),
      created: missing.length,
      open: open.length,
      skipped: generated.filter((day) => day.skippedBecause),
      patterns,
    }
  }
}

const staffPlanningService = new StaffPlanningService()
export default staffPlanningService

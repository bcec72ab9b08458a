import { directRead, listOf } from '#core/direct_sql'
import { DAY_ROW_COLUMNS, dayRowOf, type DayRow } from '#modules/planning/models/activity_day'
import type { Attendance } from '#modules/planning/models/booking'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import { publicHolidayMap } from '#modules/planning/services/public_holidays'
import { calendarDays, type CalendarDay, type Holiday } from '#modules/planning/services/calendar_days'

export type ClosureRow = { date: string; activityId: number | null; reason: string }

/** What a family's planning needs of a period, read in one round of queries and indexed for the cells. */
export interface PlanningPeriodData {
  dates: CalendarDay[]
  rules: Map<number, ActivityRules>
  /** By "<activity id>:<ISO day>". */
  dayIndex: Map<string, DayRow>
  /** By "<child id>:<day id>". */
  bookingIndex: Map<string, { id: number; attendance: Attendance | null }>
  /** "<child id>:<day id>" of the days the family's children wait for. */
  waitingIndex: Set<string>
  closures: ClosureRow[]
}

/** The days of these activities over the period, as their rows (places, closures) read now. */
async function readActivityDays(activityIds: number[], startIso: string, endIso: string): Promise<Record<string, unknown>[]> {
  if (!activityIds.length) return []
  return directRead(`select ${DAY_ROW_COLUMNS} from activity_days where activity_id in (?) and day between ? and ?`, [
    listOf(activityIds),
    startIso,
    endIso,
  ])
}

export async function readPlanningPeriod(
  familyId: number,
  { activityIds, childIds, startIso, endIso }: { activityIds: number[]; childIds: number[]; startIso: string; endIso: string }
): Promise<PlanningPeriodData> {
  // Plain rows, read straight from the driver (#core/direct_sql): the month page is the rush's
  // most requested page. Tables read under the same filter share one statement (union all, a
  // `kind` column to tell them apart).
  const [dayRows, familyRows, rules, calendarRows] = await Promise.all([
    readActivityDays(activityIds, startIso, endIso),
    childIds.length
      ? directRead(
          "select 'booking' as kind, id, child_id, activity_day_id, attendance from planning_bookings where family_id = ? and day between ? and ? " +
            "union all select 'waiting' as kind, null as id, child_id, activity_day_id, null as attendance from planning_waitlist_entries where family_id = ? and day between ? and ?",
          [familyId, startIso, endIso, familyId, startIso, endIso]
        )
      : [],
    settingsService.rulesForMany(activityIds),
    directRead(
      "select 'holiday' as kind, name as label, starts_on, ends_on, null as activity_id from planning_school_holidays where starts_on <= ? and ends_on >= ? " +
        "union all select 'closure' as kind, reason as label, date as starts_on, date as ends_on, activity_id from planning_closures where date between ? and ?",
      [endIso, startIso, startIso, endIso]
    ),
  ])
  const days = dayRows.map(dayRowOf)
  const bookings = familyRows
    .filter((row: any) => row.kind === 'booking')
    .map((row: any) => ({ id: row.id as number, childId: row.child_id, activityDayId: row.activity_day_id, attendance: row.attendance as Attendance | null }))
  const waiting = familyRows.filter((row: any) => row.kind === 'waiting').map((row: any) => ({ childId: row.child_id, activityDayId: row.activity_day_id }))
  const holidays: Holiday[] = calendarRows
    .filter((row: any) => row.kind === 'holiday')
    .map((row: any) => ({ name: row.label, startsOn: row.starts_on, endsOn: row.ends_on }))
  const closures: ClosureRow[] = calendarRows
    .filter((row: any) => row.kind === 'closure')
    .map((row: any) => ({ date: row.starts_on, activityId: row.activity_id ?? null, reason: row.label }))
  return {
    dates: calendarDays(startIso, endIso, holidays, publicHolidayMap(startIso, endIso)),
    rules,
    dayIndex: new Map(days.map((day) => [`${day.activityId}:${day.day}`, day])),
    bookingIndex: new Map(bookings.map((booking) => [`${booking.childId}:${booking.activityDayId}`, booking])),
    waitingIndex: new Set(waiting.map((entry) => `${entry.childId}:${entry.activityDayId}`)),
    closures,
  }
}

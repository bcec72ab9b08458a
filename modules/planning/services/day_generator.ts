import { DateTime } from 'luxon'
import { publicHolidayMap } from '#modules/planning/services/public_holidays'

/** Which days an activity runs relative to school holidays. */
export type HolidayMode = 'school_weeks' | 'holidays_only' | 'all'

export const HOLIDAY_MODES: Record<HolidayMode, string> = {
  school_weeks: 'Périodes scolaires seulement (pas pendant les vacances)',
  holidays_only: 'Vacances scolaires seulement',
  all: 'Toute la période',
}

export interface HolidayPeriod {
  name: string
  startsOn: string
  endsOn: string
}

export interface Closure {
  date: string
  reason: string
}

export interface GenerationInput {
  startsOn: string
  endsOn: string
  /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
  weekdays: number[]
  mode: HolidayMode
  schoolHolidays: HolidayPeriod[]
  closures: Closure[]
}

export interface GeneratedDay {
  date: string
  /** Why the day is not opened (public holiday, closure, school holidays), or null. */
  skippedBecause: string | null
}

/** The days an activity opens between two ISO days, and those it skips with the reason. */
export function generateDays(input: GenerationInput): GeneratedDay[] {
  const start = DateTime.fromISO(input.startsOn, { zone: 'utc' })
  const end = DateTime.fromISO(input.endsOn, { zone: 'utc' })
  if (!start.isValid || !end.isValid || end < start) return []
  const holidays = publicHolidayMap(input.startsOn, input.endsOn)
  const closures = new Map(input.closures.map((closure) => [closure.date, closure.reason]))
  const weekdays = new Set(input.weekdays)
  const days: GeneratedDay[] = []
  for (let cursor = start; cursor <= end; cursor = cursor.plus({ days: 1 })) {
    if (!weekdays.has(cursor.weekday)) continue
    const iso = cursor.toISODate()!
    const schoolHoliday = input.schoolHolidays.find((period) => period.startsOn <= iso && iso <= period.endsOn)
    let skippedBecause: string | null = null
    if (holidays.has(iso)) skippedBecause = `Jour férié : ${holidays.get(iso)}`
    else if (closures.has(iso)) skippedBecause = `Fermeture : ${closures.get(iso)}`
    else if (input.mode === 'school_weeks' && schoolHoliday) skippedBecause = `Vacances scolaires : ${schoolHoliday.name}`
    else if (input.mode === 'holidays_only' && !schoolHoliday) skippedBecause = 'Hors vacances scolaires'
    days.push({ date: iso, skippedBecause })
  }
  return days
}

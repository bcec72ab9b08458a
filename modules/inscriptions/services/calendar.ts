import { DateTime } from 'luxon'
import { parisDayOf } from '#core/calendar_day'

export const ZONE = 'Europe/Paris'

/** Today in Europe/Paris, ISO day. */
export function todayIso(now: DateTime = DateTime.now()): string {
  return parisDayOf(now.toMillis())
}

export function addDays(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate()!
}

/** "AAAA-MM-JJ" that is a real calendar day. */
export function isIsoDay(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid
}

export function minIso(...days: (string | null | undefined)[]): string {
  return days.filter(Boolean).sort()[0]!
}

export function maxIso(...days: (string | null | undefined)[]): string {
  return days.filter(Boolean).sort().at(-1)!
}

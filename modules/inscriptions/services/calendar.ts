import { DateTime } from 'luxon'
import { parisDayOf } from '#core/calendar_day'

export const ZONE = 'Europe/Paris'

/** Today in Europe/Paris, ISO day. */
export function todayIso(now: DateTime = DateTime.now()): string {
  return parisDayOf(now.toMillis())
}

export function minIso(...days: (string | null | undefined)[]): string {
  return days.filter(Boolean).sort()[0]!
}

export function maxIso(...days: (string | null | undefined)[]): string {
  return days.filter(Boolean).sort().at(-1)!
}

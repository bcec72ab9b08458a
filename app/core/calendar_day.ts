import vine from '@vinejs/vine'
import { DateTime } from 'luxon'

/** A day written YYYY-MM-DD that exists on the calendar (no 30 February, no month 13), 1900 to 2199. */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const day = DateTime.fromISO(value, { zone: 'utc' })
  return day.isValid && day.year >= 1900 && day.year < 2200
}

const calendarDayRule = vine.createRule((value, _options, field) => {
  if (!isCalendarDay(value)) field.report("Cette date n'existe pas ou n'est pas au format jj/mm/aaaa.", 'calendarDay', field)
})

/** A date field (an `<input type="date">`, sent as YYYY-MM-DD) that must be a real day. */
export const calendarDay = () => vine.string().trim().use(calendarDayRule())

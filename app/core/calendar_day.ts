import vine from '@vinejs/vine'

// Made once: a formatter built per call costs ~0.3 ms; 'sv-SE' writes dates as YYYY-MM-DD.
const PARIS_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' })

/** The ISO weekdays (1 = Monday) with their French names, for the forms that choose days of the week. */
export const WEEKDAY_CHOICES = [
  { value: 1, label: 'Lundi' },
  { value: 2, label: 'Mardi' },
  { value: 3, label: 'Mercredi' },
  { value: 4, label: 'Jeudi' },
  { value: 5, label: 'Vendredi' },
  { value: 6, label: 'Samedi' },
  { value: 7, label: 'Dimanche' },
] as const

/** The last minute asked for (time zones move by whole minutes: its French day is one day) and its day. */
let rememberedMinute = Number.NaN
let rememberedDay = ''

/**
 * The calendar day (YYYY-MM-DD) it is in France at that instant. Formatting with a time zone costs
 * ~20 µs, and every request that shows or books days asks for today several times: the day of the
 * last minute asked for is kept.
 */
export function parisDayOf(instant: Date | number = Date.now()): string {
  const minute = Math.floor(Number(instant) / 60_000)
  if (minute !== rememberedMinute) {
    rememberedDay = PARIS_DAY.format(instant)
    rememberedMinute = minute
  }
  return rememberedDay
}

/** A day written YYYY-MM-DD that exists on the calendar (no 30 February, no month 13), 1900 to 2199. */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const year = Number(value.slice(0, 4))
  if (year < 1900 || year >= 2200) return false
  // A day that does not exist (30 February) rolls over into another one.
  return new Date(Date.UTC(year, Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)))).toISOString().slice(0, 10) === value
}

const DAY_MS = 86_400_000

/** The day `days` after (or before, when negative) a YYYY-MM-DD day, by plain UTC arithmetic (no time zone, no luxon). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

const calendarDayRule = vine.createRule((value, _options, field) => {
  if (!isCalendarDay(value)) field.report("Cette date n'existe pas ou n'est pas au format jj/mm/aaaa.", 'calendarDay', field)
})

/** A date field (an `<input type="date">`, sent as YYYY-MM-DD) that must be a real day. */
export const calendarDay = () => vine.string().trim().use(calendarDayRule())

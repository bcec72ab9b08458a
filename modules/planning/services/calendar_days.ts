export type Holiday = { name: string; startsOn: string; endsOn: string }

export interface CalendarDay {
  iso: string
  dayNumber: number
  weekday: number
  longDate: string
  schoolHoliday: string | null
  publicHoliday: string | null
}

const WEEKDAYS_LONG = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
const DAY_MS = 86_400_000

/**
 * The days of the period, computed once for all rows with plain UTC calendar arithmetic
 * (luxon's plus() and French formatting cost 40–120 µs a call, per cell of every row).
 */
export function calendarDays(startIso: string, endIso: string, holidays: Holiday[], publicHolidays: Map<string, string>): CalendarDay[] {
  const days: CalendarDay[] = []
  const last = Date.parse(`${endIso}T00:00:00Z`)
  for (let ms = Date.parse(`${startIso}T00:00:00Z`); ms <= last; ms += DAY_MS) {
    const date = new Date(ms)
    const iso = date.toISOString().slice(0, 10)
    const weekday = date.getUTCDay() || 7
    days.push({
      iso,
      dayNumber: date.getUTCDate(),
      weekday,
      longDate: `${WEEKDAYS_LONG[weekday]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
      schoolHoliday: holidays.find((period) => period.startsOn <= iso && iso <= period.endsOn)?.name ?? null,
      publicHoliday: publicHolidays.get(iso) ?? null,
    })
  }
  return days
}

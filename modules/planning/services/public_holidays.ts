import { DateTime } from 'luxon'

/** Easter Sunday of a Gregorian year (anonymous algorithm, Meeus/Jones/Butcher), as an ISO day. */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return DateTime.utc(year, month, day).toISODate()!
}

export interface PublicHoliday {
  date: string
  name: string
}

/** French public holidays (jours fériés) of a year; Alsace-Moselle adds Good Friday and 26 December. */
export function publicHolidays(year: number, options: { alsaceMoselle?: boolean } = {}): PublicHoliday[] {
  const easter = DateTime.fromISO(easterSunday(year), { zone: 'utc' })
  const shifted = (days: number) => easter.plus({ days }).toISODate()!
  const fixed = (month: number, day: number) => DateTime.utc(year, month, day).toISODate()!
  const list: PublicHoliday[] = [
    { date: fixed(1, 1), name: "Jour de l'an" },
    { date: shifted(1), name: 'Lundi de Pâques' },
    { date: fixed(5, 1), name: 'Fête du Travail' },
    { date: fixed(5, 8), name: 'Victoire 1945' },
    { date: shifted(39), name: 'Ascension' },
    { date: shifted(50), name: 'Lundi de Pentecôte' },
    { date: fixed(7, 14), name: 'Fête nationale' },
    { date: fixed(8, 15), name: 'Assomption' },
    { date: fixed(11, 1), name: 'Toussaint' },
    { date: fixed(11, 11), name: 'Armistice 1918' },
    { date: fixed(12, 25), name: 'Noël' },
  ]
  if (options.alsaceMoselle) {
    list.push({ date: shifted(-2), name: 'Vendredi saint' }, { date: fixed(12, 26), name: 'Saint-Étienne' })
  }
  return list.sort((x, y) => x.date.localeCompare(y.date))
}

const byYear = new Map<number, PublicHoliday[]>()

/** ISO day → holiday name, for every year touched by the range (each year computed once). */
export function publicHolidayMap(fromIso: string, toIso: string): Map<string, string> {
  const map = new Map<string, string>()
  const first = Number(fromIso.slice(0, 4))
  const last = Number(toIso.slice(0, 4))
  for (let year = first; year <= last; year++) {
    let list = byYear.get(year)
    if (!list) byYear.set(year, (list = publicHolidays(year)))
    for (const holiday of list) map.set(holiday.date, holiday.name)
  }
  return map
}

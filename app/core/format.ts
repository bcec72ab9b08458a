import { DateTime } from 'luxon'

export const ZONE = 'Europe/Paris'

/** An instant as a model, a driver (Date on PostgreSQL) or SQLite (UTC text) gives it, in Paris time. */
export function toDateTime(value: DateTime | Date | string | null | undefined): DateTime | null {
  if (!value) return null
  if (DateTime.isDateTime(value)) return value.setZone(ZONE)
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: ZONE })
  const parsed = DateTime.fromISO(value, { zone: ZONE })
  return parsed.isValid ? parsed : DateTime.fromSQL(value, { zone: 'utc' }).setZone(ZONE)
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']

/**
 * A calendar day as the database and the views pass it ("2023-05-31"): it has no time, so no
 * zone to convert, and is written without building a luxon DateTime (a planning month formats
 * dozens of them per page). Null for anything else.
 */
function calendarDayParts(value: unknown): [string, string, string] | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null
  const [year, month, day] = value.split('-')
  // 2023-02-31 is no day: left to luxon, as before.
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day) ? [year, month, day] : null
}

/** "31 mai 2023" */
export function formatDateLong(value: DateTime | Date | string | null | undefined): string {
  const day = calendarDayParts(value)
  if (day) return `${Number(day[2])} ${MONTHS[Number(day[1]) - 1]} ${day[0]}`
  return toDateTime(value)?.setLocale('fr').toFormat('d LLLL yyyy') ?? ''
}

/** "31/05/2023" */
export function formatDate(value: DateTime | Date | string | null | undefined): string {
  const day = calendarDayParts(value)
  if (day) return `${day[2]}/${day[1]}/${day[0]}`
  return toDateTime(value)?.toFormat('dd/MM/yyyy') ?? ''
}

/** "31/05/2023 à 14:05" */
export function formatDateTime(value: DateTime | Date | string | null | undefined): string {
  return toDateTime(value)?.toFormat("dd/MM/yyyy 'à' HH:mm") ?? ''
}

/** "10 MAI 2023", the guide's style for news. */
export function formatNewsDate(value: DateTime | Date | string | null | undefined): string {
  return formatDateLong(value).toLocaleUpperCase('fr-FR')
}

export { formatMoney, plural } from '#core/french'

import { DateTime } from 'luxon'

export const ZONE = 'Europe/Paris'

function toDateTime(value: DateTime | Date | string | null | undefined): DateTime | null {
  if (!value) return null
  if (DateTime.isDateTime(value)) return value.setZone(ZONE)
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: ZONE })
  const parsed = DateTime.fromISO(value, { zone: ZONE })
  return parsed.isValid ? parsed : DateTime.fromSQL(value, { zone: 'utc' }).setZone(ZONE)
}

/** "31 mai 2023" */
export function formatDateLong(value: DateTime | Date | string | null | undefined): string {
  return toDateTime(value)?.setLocale('fr').toFormat('d LLLL yyyy') ?? ''
}

/** "31/05/2023" */
export function formatDate(value: DateTime | Date | string | null | undefined): string {
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

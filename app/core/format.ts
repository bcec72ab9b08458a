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

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })

/** Integer cents to "8,00 €" (with the French narrow no-break space). */
export function formatMoney(cents: number | null | undefined): string {
  return euros.format((cents ?? 0) / 100)
}

/** "1 réservation", "2 réservations" */
export function plural(count: number, singular: string, pluralForm = singular + 's'): string {
  return `${count} ${count > 1 ? pluralForm : singular}`
}

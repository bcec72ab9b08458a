import { DateTime } from 'luxon'

/**
 * Instants stored in UTC whatever the process's zone, in one text format that sorts and
 * compares as a string on SQLite and parses as timestamptz on PostgreSQL.
 */
export function toDbInstant(value: DateTime): string {
  return value.toUTC().toFormat("yyyy-MM-dd HH:mm:ss.SSS 'Z'").replace(' Z', '+00:00')
}

export const utcInstantColumn = {
  prepare: (value: DateTime | null | undefined) => (DateTime.isDateTime(value) ? toDbInstant(value) : value),
  consume: (value: unknown) => {
    if (!value) return null
    if (value instanceof Date) return DateTime.fromJSDate(value, { zone: 'utc' })
    const text = String(value)
    const parsed = DateTime.fromSQL(text, { zone: 'utc' })
    return (parsed.isValid ? parsed : DateTime.fromISO(text, { zone: 'utc' })).toUTC()
  },
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

/**
 * An instant in the format Lucid's models write (UTC, the dialect's format), for raw
 * inserts and comparisons: a JS Date would land in SQLite as a number models cannot read.
 */
export function dbTime(value: DateTime = DateTime.utc()): string {
  return value.toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

/** The same, for a query inside a transaction (its client knows the dialect). */
export function dbTimeOf(client: { dialect: { dateTimeFormat: string } }, value: DateTime = DateTime.utc()): string {
  return value.toUTC().toFormat(client.dialect.dateTimeFormat)
}

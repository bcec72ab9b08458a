import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

/** A DateTime in the format the models write, for comparisons in raw queries. */
export function dbTime(value: DateTime): string {
  return value.toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

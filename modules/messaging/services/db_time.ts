import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

/** An instant in the format the models write, for raw updates and comparisons (SQLite compares text). */
export function dbTime(value: DateTime = DateTime.utc()): string {
  return value.toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

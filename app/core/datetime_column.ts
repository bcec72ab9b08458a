import { DateTime, Settings } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { errors } from '@adonisjs/lucid'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'

/**
 * `@dateTimeColumn()`: Lucid's `@column.dateTime()` with the same values in and out, cheaper.
 *
 * Lucid reads every datetime column SQLite returns with `DateTime.fromSQL` (a general parser:
 * ~4.6 µs and a dozen objects per value), and writes each one after building a query builder
 * only to learn the dialect's format. A signed-in request hydrates its user (5 such columns) and
 * its family; the month page and a booking hydrate dozens more: during the rush, luxon was 9 % of
 * all the memory the server allocated. Here the text Lucid wrote ('YYYY-MM-DD HH:MM:SS', read in
 * the default zone) is turned into the same DateTime from its milliseconds (~0.9 µs) when the
 * default zone is UTC, as on the portal's servers; anything else goes through luxon as before.
 */

const SQL_WALL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/
const UTC_ZONE_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu', 'GMT', 'Etc/GMT'])

let checkedZone: unknown = null
let zoneIsUtc = false
function defaultZoneIsUtc() {
  const zone = Settings.defaultZone
  if (zone !== checkedZone) {
    checkedZone = zone
    zoneIsUtc = zone.isUniversal ? zone.offset(0) === 0 : UTC_ZONE_NAMES.has(zone.name)
  }
  return zoneIsUtc
}

/** The instant of an SQL wall time read in UTC, or null when it is not one exactly. */
export function utcMillisOfSqlText(text: string): number | null {
  const match = SQL_WALL_TIME.exec(text)
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  if (year < 1000 || hour > 23 || minute > 59 || second > 59) return null
  const millis = Date.UTC(year, month - 1, day, hour, minute, second, match[7] ? Number(match[7].padEnd(3, '0')) : 0)
  const date = new Date(millis)
  // Date.UTC rolls 2025-02-30 over to March: luxon calls it invalid, and so does the slow path.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return millis
}

function invalid(row: LucidRow, attribute: string, reason: string) {
  return new errors.E_INVALID_DATE_COLUMN_VALUE([`${row.constructor.name}.${attribute}`, reason])
}

export function consumeDateTime(value: unknown, attribute: string, row: LucidRow) {
  if (!value) return value
  if (typeof value === 'string') {
    const millis = defaultZoneIsUtc() ? utcMillisOfSqlText(value) : null
    return millis === null ? DateTime.fromSQL(value) : DateTime.fromMillis(millis)
  }
  if (value instanceof Date) return DateTime.fromJSDate(value)
  throw invalid(row, attribute, `${typeof value} cannot be formatted`)
}

const pad = (value: number, size = 2) => String(value).padStart(size, '0')

export function prepareDateTime(value: unknown, attribute: string, row: LucidRow) {
  if (typeof value === 'string' || !value) return value
  if (!DateTime.isDateTime(value)) throw invalid(row, attribute, 'It must be an instance of "luxon.DateTime"')
  if (!value.isValid) throw invalid(row, attribute, value.invalidReason ?? 'invalid')
  const model = row.constructor as LucidModel
  const format: string = model.$adapter.modelClient(row).dialect.dateTimeFormat
  if (format !== 'yyyy-MM-dd HH:mm:ss') return value.toFormat(format)
  return `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)} ${pad(value.hour)}:${pad(value.minute)}:${pad(value.second)}`
}

type DateTimeOptions = Parameters<typeof column.dateTime>[0]

export function dateTimeColumn(options?: DateTimeOptions) {
  return column.dateTime({ consume: consumeDateTime, prepare: prepareDateTime, ...options })
}

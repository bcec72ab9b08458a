import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Booking from '#modules/planning/models/booking'

function hashOf(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

function escapeText(value: string) {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')
}

/** Folds a content line at 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8')
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let current = ''
  for (const char of line) {
    if (Buffer.byteLength(current + char, 'utf8') > (parts.length ? 74 : 75)) {
      parts.push(current)
      current = ''
    }
    current += char
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/**
 * The family's private iCalendar feed of booked days. The secret token is shown once and stored
 * hashed (sha256); renewing it makes the old address stop working.
 */
class FeedService {
  async renew(familyId: number): Promise<string> {
    const token = randomBytes(24).toString('base64url')
    await db.transaction(async (trx) => {
      await trx.from('planning_feed_tokens').where('family_id', familyId).delete()
      await trx.table('planning_feed_tokens').insert({
        family_id: familyId,
        token_hash: hashOf(token),
        created_at: DateTime.utc().toFormat(trx.dialect.dateTimeFormat),
      })
    })
    return token
  }

  async hasToken(familyId: number): Promise<{ createdAt: string } | null> {
    const row = await db.from('planning_feed_tokens').where('family_id', familyId).first()
    return row ? { createdAt: String(row.created_at) } : null
  }

  async familyForToken(token: string): Promise<number | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null
    const row = await db.from('planning_feed_tokens').where('token_hash', hashOf(token)).first()
    return row ? Number(row.family_id) : null
  }

  async calendar(familyId: number, communeName: string, now: DateTime = DateTime.utc()): Promise<string> {
    const from = now.minus({ months: 2 }).toISODate()!
    const bookings = await Booking.query()
      .where('family_id', familyId)
      .where('day', '>=', from)
      .preload('child')
      .preload('activityDay', (query) => query.preload('activity'))
      .orderBy('day')
    const stamp = now.toFormat("yyyyMMdd'T'HHmmss'Z'")
    const lines = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      `PRODID:-//Portail Famille//${escapeText(communeName)}//FR`,
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      `X-WR-CALNAME:${escapeText(`Planning — ${communeName}`)}`,
      'X-WR-TIMEZONE:Europe/Paris',
    ]
    for (const booking of bookings) {
      const start = booking.day.replaceAll('-', '')
      const end = DateTime.fromISO(booking.day).plus({ days: 1 }).toFormat('yyyyMMdd')
      const activity = booking.activityDay.activity.name
      lines.push(
        'BEGIN:VEVENT',
        `UID:planning-booking-${booking.id}@portail-famille`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${start}`,
        `DTEND;VALUE=DATE:${end}`,
        `SUMMARY:${escapeText(`${booking.child.firstName} — ${activity}`)}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT'
      )
    }
    lines.push('END:VCALENDAR')
    return lines.map(fold).join('\r\n') + '\r\n'
  }
}

const feedService = new FeedService()
export default feedService

import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import ical, { ICalCalendarMethod, ICalEventTransparency, escape } from 'ical-generator'
import db from '@adonisjs/lucid/services/db'
import Booking from '#modules/planning/models/booking'

function hashOf(token: string) {
  return createHash('sha256').update(token).digest('hex')
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
    // ical-generator escapes event text but writes the calendar's name and PRODID as given.
    const calendar = ical({
      prodId: { company: 'Portail Famille', product: escape(communeName, false), language: 'FR' },
      scale: 'GREGORIAN',
      method: ICalCalendarMethod.PUBLISH,
      name: escape(`Planning — ${communeName}`, false),
      x: [{ key: 'X-WR-TIMEZONE', value: 'Europe/Paris' }],
    })
    for (const booking of bookings) {
      // Whole days, written as dates (no time zone): midnight UTC only carries the date.
      const start = DateTime.fromISO(booking.day, { zone: 'utc' })
      calendar.createEvent({
        id: `planning-booking-${booking.id}@portail-famille`,
        stamp: now.toJSDate(),
        start: start.toJSDate(),
        end: start.plus({ days: 1 }).toJSDate(),
        allDay: true,
        summary: `${booking.child.firstName} — ${booking.activityDay.activity.name}`,
        transparency: ICalEventTransparency.TRANSPARENT,
      })
    }
    // Every content line ends with CRLF, the last one too (RFC 5545 §3.1).
    const text = calendar.toString()
    return text.endsWith('\r\n') ? text : `${text}\r\n`
  }
}

const feedService = new FeedService()
export default feedService

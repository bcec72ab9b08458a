import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import WeeklyPattern from '#modules/planning/models/weekly_pattern'
import { bookRequestsInTransaction } from '#modules/planning/services/basket_booking'
import type { BasketLine } from '#modules/planning/services/basket_service'
import type { Actor, Outcome } from '#modules/planning/services/booking_outcome'
import { isUniqueViolation } from '#core/sql_results'
import { parisDayOf, WEEKDAY_CHOICES } from '#core/calendar_day'

/** "lundi", "lundi et jeudi", "lundi, mardi et jeudi" */
export function weekdaysText(weekdays: number[]): string {
  const names = [...weekdays].sort().map((day) => WEEKDAY_CHOICES[day - 1].label.toLowerCase())
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} et ${names[names.length - 1]}` : (names[0] ?? '')
}

/** 1 = Monday … 7 = Sunday for an ISO day. */
export function isoWeekday(isoDay: string): number {
  return DateTime.fromISO(isoDay, { zone: 'utc' }).weekday
}

export interface PatternInput {
  childId: number
  activityId: number
  weekdays: number[]
  untilOn: string
}

export interface SavedPattern {
  pattern: WeeklyPattern
  /** false: the child already had an active pattern on the activity (returned as it is). */
  created: boolean
  /** Each day the save tried to book, accepted or refused with its reason (as a basket's). */
  lines: BasketLine[]
}

function lineOf(childId: number, dayId: number, outcome: Outcome): BasketLine {
  return { kind: 'booking', childId, dayId, ok: outcome.ok, message: outcome.message, waitlistOffered: !outcome.ok && Boolean(outcome.waitlistOffered) }
}

/** Runs a writing transaction; retried once when a unique key refused a row another writer just committed. */
async function once<T>(work: (trx: TransactionClientContract) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work)
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    return db.transaction(work)
  }
}

/**
 * A family's standing weekly patterns. Saving one (or changing it) books, in one basket pass,
 * the coming days of the activity on its weekdays until its date that the child has not booked
 * yet; the days the staff generate later are booked by `pattern_generated_days`.
 */
class WeeklyPatterns {
  async forFamily(familyId: number) {
    return WeeklyPattern.query()
      .where('family_id', familyId)
      .preload('child')
      .preload('activity')
      .orderByRaw('CASE WHEN stopped_at IS NULL THEN 0 ELSE 1 END')
      .orderBy('id', 'desc')
      .limit(100)
  }

  /** The family's pattern, or a 404 (another family's included). */
  async findForFamily(familyId: number, id: number) {
    return WeeklyPattern.query().where('family_id', familyId).where('id', id).preload('child').preload('activity').firstOrFail()
  }

  async create(familyId: number, input: PatternInput, actor: Actor, now: DateTime = DateTime.utc()): Promise<SavedPattern> {
    return once(async (trx) => {
      const existing = await WeeklyPattern.query({ client: trx })
        .where('child_id', input.childId)
        .where('activity_id', input.activityId)
        .whereNull('stopped_at')
        .first()
      if (existing) return { pattern: existing, created: false, lines: [] }
      const pattern = await WeeklyPattern.create({ familyId, ...input, createdBy: actor.id, stoppedAt: null }, { client: trx })
      return { pattern, created: true, lines: await this.#bookComingDays(pattern, actor, now, trx) }
    })
  }

  /** New weekdays or date: applies to the coming days not booked yet; the days booked stay. */
  async update(pattern: WeeklyPattern, input: Pick<PatternInput, 'weekdays' | 'untilOn'>, actor: Actor, now: DateTime = DateTime.utc()) {
    return once(async (trx) => {
      const fresh = await WeeklyPattern.query({ client: trx }).where('id', pattern.id).whereNull('stopped_at').first()
      if (!fresh) return null
      fresh.merge({ weekdays: input.weekdays, untilOn: input.untilOn })
      await fresh.useTransaction(trx).save()
      return this.#bookComingDays(fresh, actor, now, trx)
    })
  }

  /** Stops the pattern: its booked days stay booked, nothing new is booked. */
  async stop(pattern: WeeklyPattern, now: DateTime = DateTime.utc()) {
    if (pattern.stoppedAt) return false
    const stopped = await db
      .from('planning_weekly_patterns')
      .where('id', pattern.id)
      .whereNull('stopped_at')
      .update({ stopped_at: now.toUTC().toFormat(db.connection().dialect.dateTimeFormat), updated_at: now.toUTC().toFormat(db.connection().dialect.dateTimeFormat) })
    return Number(Array.isArray(stopped) ? stopped[0] : stopped) > 0
  }

  /** The activity's days from today to the pattern's date on its weekdays that the child has not booked: one basket. */
  async #bookComingDays(pattern: WeeklyPattern, actor: Actor, now: DateTime, trx: TransactionClientContract): Promise<BasketLine[]> {
    const today = parisDayOf(now.toMillis())
    if (pattern.untilOn < today) return []
    const weekdays = new Set(pattern.weekdays)
    const [days, booked] = await Promise.all([
      trx.from('activity_days').where('activity_id', pattern.activityId).whereBetween('day', [today, pattern.untilOn]).orderBy('day').select('id', 'day'),
      trx.from('planning_bookings').where('activity_id', pattern.activityId).where('child_id', pattern.childId).where('day', '>=', today).select('activity_day_id'),
    ])
    const bookedIds = new Set(booked.map((row: any) => Number(row.activity_day_id)))
    const requests = days
      .filter((day: any) => weekdays.has(isoWeekday(String(day.day))) && !bookedIds.has(Number(day.id)))
      .map((day: any) => ({ familyId: pattern.familyId, childId: pattern.childId, dayId: Number(day.id) }))
    const outcomes = await bookRequestsInTransaction(requests, actor, now, trx)
    // under shared custody, the other household's weeks are not this family's days: not reported
    return requests
      .map((request, index) => ({ request, outcome: outcomes[index] }))
      .filter(({ outcome }) => outcome.ok || outcome.reason !== 'other_household')
      .map(({ request, outcome }) => lineOf(request.childId, request.dayId, outcome))
  }
}

const weeklyPatterns = new WeeklyPatterns()
export default weeklyPatterns

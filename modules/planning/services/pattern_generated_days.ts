import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { Activity } from '#modules/inscriptions/index'
import { Child } from '#modules/dossier/index'
import WeeklyPattern from '#modules/planning/models/weekly_pattern'
import { bookRequestsInTransaction, type BookingRequest } from '#modules/planning/services/basket_booking'
import type { Outcome } from '#modules/planning/services/booking_outcome'
import { isoWeekday, weekdaysText } from '#modules/planning/services/weekly_patterns'
import { isUniqueViolation } from '#core/sql_results'
import { yieldWriteLock } from '#core/database_guard'
import { parisDayOf } from '#core/calendar_day'
import type { PlanningPatternRefused } from '#modules/planning/events'

/** Patterns booked per transaction: a batch makes the same few queries whatever its size. */
export const PATTERNS_PER_BATCH = 100

/**
 * Bookings per transaction, at most (a batch stops at the pattern that reaches it): 100 patterns
 * over a school year's days are 8,000 bookings, a transaction that would hold SQLite's lock, and
 * the portal's requests, for a second.
 */
const BOOKINGS_PER_BATCH = 1000

/** The reason of a refused day as the family reads it in its inbox (the day itself is said beside it). */
function refusalText(outcome: Outcome & { ok: false }) {
  if (outcome.reason === 'full') return "complet, plus de place : une place en liste d'attente peut être demandée sur le planning."
  return outcome.message
}

/**
 * The days the staff just generated for an activity, booked for every active weekly pattern
 * (on its weekdays, until its date), under the basket's rules. Patterns go by batches of 100, or
 * fewer when they reach 1,000 bookings: each batch is one transaction whose queries do not grow
 * with its patterns or days, the write lock left to the portal between two. After
 * each commit, the batch's patterns with refused days are announced together
 * (`planning:patterns-refused`: messaging tells each family when it is on).
 */
export async function bookGeneratedDays(activityId: number, isoDays: string[], now: DateTime = DateTime.utc()) {
  const today = parisDayOf(now.toMillis())
  const coming = isoDays.filter((day) => day >= today).sort()
  const result = { patterns: 0, booked: 0, refused: 0 }
  if (!coming.length) return result
  const patterns = await WeeklyPattern.query().where('activity_id', activityId).whereNull('stopped_at').where('until_on', '>=', coming[0]).orderBy('id')
  if (!patterns.length) return result
  const wanted = new Set(coming)
  const days = (
    await db.from('activity_days').where('activity_id', activityId).whereBetween('day', [coming[0], coming[coming.length - 1]]).select('id', 'day')
  ).filter((day: any) => wanted.has(String(day.day)))
  const activity = await Activity.findOrFail(activityId)
  result.patterns = patterns.length

  for (let at = 0; at < patterns.length; ) {
    const batch: WeeklyPattern[] = []
    const requests: (BookingRequest & { pattern: WeeklyPattern; date: string })[] = []
    while (at < patterns.length && batch.length < PATTERNS_PER_BATCH && requests.length < BOOKINGS_PER_BATCH) {
      const pattern = patterns[at++]
      batch.push(pattern)
      const weekdays = new Set(pattern.weekdays)
      for (const day of days) {
        const date = String(day.day)
        if (date > pattern.untilOn || !weekdays.has(isoWeekday(date))) continue
        requests.push({ familyId: pattern.familyId, childId: pattern.childId, dayId: Number(day.id), bookedBy: pattern.createdBy, pattern, date })
      }
    }
    if (!requests.length) continue
    const work = (trx: any) => bookRequestsInTransaction(requests, null, now, trx)
    const started = Date.now()
    const outcomes = await db.transaction(work).catch((error) => {
      if (!isUniqueViolation(error)) throw error
      return db.transaction(work)
    })
    // SQLite: the parents' bookings and the server's other requests get their turn between two batches.
    await yieldWriteLock(db.connection().dialect.name, Date.now() - started)
    const children = new Map(
      (await Child.query().whereIn('id', [...new Set(batch.map((pattern) => pattern.childId))]).select('id', 'first_name')).map((child) => [child.id, child.firstName])
    )
    const reports = new Map<number, PlanningPatternRefused>()
    for (const [index, request] of requests.entries()) {
      const outcome = outcomes[index]
      const { pattern } = request
      const report =
        reports.get(pattern.id) ??
        reports
          .set(pattern.id, {
            familyId: pattern.familyId,
            patternId: pattern.id,
            childId: pattern.childId,
            childFirstName: children.get(pattern.childId) ?? '',
            activityName: activity.name,
            weekdaysText: weekdaysText(pattern.weekdays),
            bookedCount: 0,
            refused: [],
          })
          .get(pattern.id)!
      if (outcome.ok) {
        report.bookedCount += 1
        result.booked += 1
      } else if (outcome.reason !== 'other_household') {
        // (the other household's weeks under shared custody are not the family's days)
        report.refused.push({ date: request.date, reason: refusalText(outcome) })
        result.refused += 1
      }
    }
    // One event a batch: messaging writes the batch's notices together.
    const refusedReports = [...reports.values()].filter((report) => report.refused.length)
    if (refusedReports.length) await emitter.emit('planning:patterns-refused', { reports: refusedReports })
  }
  return result
}

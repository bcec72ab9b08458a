import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import router from '@adonisjs/core/services/router'
import env from '#start/env'
import { absoluteRoute } from '#core/absolute_url'
import { affectedRows } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'
import { historyService, Child } from '#modules/dossier/index'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import ActivityDay from '#modules/planning/models/activity_day'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import WaitlistOffer from '#modules/planning/models/waitlist_offer'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import { deadlineOf, isBeforeDeadline, PARIS } from '#modules/planning/services/deadline_rules'
import { formatDateLong } from '#core/format'
import { describeDay } from '#modules/planning/services/booking_outcome'
import { givePlaceBack, takePlace } from '#modules/planning/services/place_counters'
import type { PlanningOfferMade } from '#modules/planning/events'

/** Hours a freed place is held for the child it is offered to (PLANNING_OFFER_HOURS, default 24), never past the day's booking deadline. */
export function offerHours(): number {
  const hours = Number(env.get('PLANNING_OFFER_HOURS') ?? 24)
  return Number.isFinite(hours) && hours > 0 ? hours : 24
}

/** "14 septembre 2026 à 18:00 (heure de Paris)" */
export function offerTime(instant: DateTime) {
  const paris = instant.setZone(PARIS)
  return `${formatDateLong(paris)} à ${paris.toFormat('HH:mm')} (heure de Paris)`
}

export function offerExpiry(rules: ActivityRules, isoDay: string, now: DateTime): DateTime {
  const held = now.toUTC().plus({ hours: offerHours() })
  const deadline = deadlineOf(rules.bookingDeadline, isoDay).toUTC()
  return deadline < held ? deadline : held
}

/** The day row, locked until the transaction ends on PostgreSQL (SQLite runs one transaction at a time). */
export async function lockDay(dayId: number, trx: TransactionClientContract) {
  const query = ActivityDay.query({ client: trx }).where('id', dayId)
  if (trx.dialect.name === 'postgres') query.forUpdate()
  return query.firstOrFail()
}

/**
 * Offers a freed place (already given back to the day's counter) to the first child in line
 * whose age group has a place, while the day's booking deadline has not passed: the place is
 * taken again for that child and held until the offer's expiry. Children already holding an
 * offer on the day are skipped. Returns the event to announce after commit, or null (the place
 * stays free).
 */
export async function offerFreedPlace(
  dayId: number,
  activity: Activity,
  rules: ActivityRules,
  now: DateTime,
  trx: TransactionClientContract
): Promise<PlanningOfferMade | null> {
  const day = await ActivityDay.query({ client: trx }).where('id', dayId).firstOrFail()
  if (day.closed || !isBeforeDeadline(rules.bookingDeadline, day.day, now)) return null
  const holding = trx.from('planning_waitlist_offers').where('activity_day_id', dayId).where('status', 'pending').select('child_id')
  const waiting = await WaitlistEntry.query({ client: trx }).where('activity_day_id', dayId).whereNotIn('child_id', holding).orderBy('id')
  if (!waiting.length) return null
  const isRegistered = await registrationQueryService.registeredOnCheck(
    waiting.map((entry) => entry.childId),
    [day.activityId],
    trx
  )
  for (const entry of waiting) {
    if (!isRegistered(entry.childId, day.activityId, day.day)) continue
    if (!(await takePlace(trx, dayId, entry.ageGroup, { openDayOnly: true }))) continue
    const offer = await WaitlistOffer.create(
      {
        activityDayId: dayId,
        activityId: day.activityId,
        childId: entry.childId,
        familyId: entry.familyId,
        day: day.day,
        ageGroup: entry.ageGroup,
        status: 'pending',
        expiresAt: offerExpiry(rules, day.day, now),
        createdAt: now.toUTC(),
      },
      { client: trx }
    )
    const child = await Child.query({ client: trx }).where('id', entry.childId).firstOrFail()
    await historyService.record(
      entry.familyId,
      {
        module: 'planning',
        kind: 'waitlist-offer',
        text: `Place proposée depuis la liste d'attente : ${describeDay(activity.name, day.day, child.firstName)}`,
        link: router.makeUrl('planning.offers.show', { id: offer.id }),
      },
      trx
    )
    return {
      familyId: entry.familyId,
      childId: entry.childId,
      childFirstName: child.firstName,
      activityId: day.activityId,
      activityName: activity.name,
      date: day.day,
      offerId: offer.id,
      expiresAt: offer.expiresAt.toUTC().toISO()!,
      url: absoluteRoute('planning.offers.show', { id: offer.id }),
    }
  }
  return null
}

const CLOSING_HISTORY: Record<'declined' | 'expired' | 'withdrawn', string> = {
  declined: 'Place proposée refusée',
  expired: 'Place proposée non réservée à temps',
  withdrawn: 'Place proposée retirée',
}

/**
 * Ends a pending offer without a booking (declined, expired, withdrawn): the child leaves the
 * waiting list, the held place goes back to the day and is offered to the next in line.
 * The day must be locked by the caller. Returns whether the offer was still pending, and the
 * next offer to announce after commit.
 */
export async function closeOffer(
  offer: WaitlistOffer,
  status: 'declined' | 'expired' | 'withdrawn',
  now: DateTime,
  trx: TransactionClientContract
): Promise<{ closed: boolean; next: PlanningOfferMade | null }> {
  const closed = affectedRows(
    await trx
      .from('planning_waitlist_offers')
      .where('id', offer.id)
      .where('status', 'pending')
      .update({ status, decided_at: dbTimeOf(trx, now) })
  )
  if (closed !== 1) return { closed: false, next: null }
  await trx.from('planning_waitlist_entries').where('activity_day_id', offer.activityDayId).where('child_id', offer.childId).delete()
  await givePlaceBack(trx, offer.activityDayId, offer.ageGroup, false)
  const activity = await Activity.query({ client: trx }).where('id', offer.activityId).firstOrFail()
  const child = await Child.query({ client: trx }).where('id', offer.childId).firstOrFail()
  await historyService.record(
    offer.familyId,
    {
      module: 'planning',
      kind: `waitlist-offer-${status}`,
      text: `${CLOSING_HISTORY[status]} : ${describeDay(activity.name, offer.day, child.firstName)}`,
      link: router.makeUrl('planning.offers.show', { id: offer.id }),
    },
    trx
  )
  const rules = await settingsService.rulesFor(offer.activityId, trx)
  return { closed: true, next: await offerFreedPlace(offer.activityDayId, activity, rules, now, trx) }
}

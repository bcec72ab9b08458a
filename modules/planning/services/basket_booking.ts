import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { historyService, custodyService } from '#modules/dossier/index'
import { registrationQueryService } from '#modules/inscriptions/index'
import { DAY_ROW_COLUMNS, ageGroupOn, dayRowOf, type AgeGroup, type DayRow } from '#modules/planning/models/activity_day'
import settingsService from '#modules/planning/services/settings_service'
import { isBeforeDeadline } from '#modules/planning/services/deadline_rules'
import { isUniqueViolation } from '#core/sql_results'
import { directRead, directWrite, listOf } from '#core/direct_sql'
import { dbTimeOf } from '#core/db_time'
import { insertMany } from '#core/bulk_insert'
import { parisDayOf } from '#core/calendar_day'
import { basketHistoryText, bookingRefusals, describeDay, type Actor, type ChangedDay, type Outcome } from '#modules/planning/services/booking_outcome'
import { takePlacesFor } from '#modules/planning/services/batch_places'

interface Candidate {
  index: number
  request: BookingRequest
  day: DayRow
  group: AgeGroup
  described: string
  changed: ChangedDay
}

/** A child-day to book for a family; `bookedBy` (the user the booking is written for) defaults to the actor. */
export interface BookingRequest {
  familyId: number
  childId: number
  dayId: number
  bookedBy?: number | null
}

/**
 * A parent's basket of bookings, all days together in one transaction: the rows it needs are
 * read once (days, children, activities, rules, registrations, existing bookings), each
 * child-day gets its own answer, and places are taken by conditional UPDATEs of the days'
 * counters, one per age group (batch_places). A refused day does not undo the others.
 *
 * Concurrency: on PostgreSQL the basket's days are locked (FOR UPDATE, by id: no deadlock with
 * another basket) before the existing bookings are read, as every single-day operation does;
 * SQLite runs one writing transaction at a time (BEGIN IMMEDIATE). The counters' UPDATE stays
 * conditional and the table's CHECKs stay the last guard: no overbooking either way.
 */
export async function bookBasket(
  familyId: number,
  pairs: { childId: number; dayId: number }[],
  actor: Actor,
  now: DateTime = DateTime.utc()
): Promise<Outcome[]> {
  if (!pairs.length) return []
  const requests = pairs.map((pair) => ({ ...pair, familyId }))
  try {
    return await db.transaction((trx) => bookRequestsInTransaction(requests, actor, now, trx))
  } catch (error) {
    // a writer that did not take the day's lock: read again, the booking is then seen as existing
    if (!isUniqueViolation(error)) throw error
    return db.transaction((trx) => bookRequestsInTransaction(requests, actor, now, trx))
  }
}

/**
 * The basket's work inside the caller's transaction, for the child-days of one family or of
 * many (the weekly patterns booking the days the staff just generated): the same rules and the
 * same number of queries whatever the number of days and families; one history line per family.
 */
export async function bookRequestsInTransaction(
  requests: BookingRequest[],
  actor: Actor | null,
  now: DateTime,
  trx: TransactionClientContract
): Promise<Outcome[]> {
  if (!requests.length) return []
  const dayIds = [...new Set(requests.map((request) => request.dayId))].sort((a, b) => a - b)
  const childIds = [...new Set(requests.map((request) => request.childId))]
  // Every basket runs these: statements written once for the driver, on the transaction's connection.
  const lock = trx.dialect.name === 'postgres' ? ' for update' : ''
  // Plain rows, not models: a pattern batch reads hundreds of days here, a parent's basket ten.
  const days = new Map(
    (await directRead(`select ${DAY_ROW_COLUMNS} from activity_days where id in (?) order by id${lock}`, [listOf(dayIds)], trx))
      .map(dayRowOf)
      .map((day) => [day.id, day])
  )
  const activityIds = [...new Set([...days.values()].map((day) => day.activityId))]
  const foundDayIds = [...days.keys()]
  const [children, activities, rules, registeredOn, existing] = await Promise.all([
    custodyService.actingChildrenOfMany(requests, trx),
    activityIds.length
      ? directRead<{ id: number; name: string }>('select id, name from activities where id in (?)', [listOf(activityIds)], trx)
      : Promise.resolve([]),
    settingsService.rulesForMany(activityIds, trx),
    registrationQueryService.registeredOnCheck(childIds, activityIds, trx),
    foundDayIds.length
      ? directRead<{ child_id: number; activity_day_id: number }>(
          'select child_id, activity_day_id from planning_bookings where activity_day_id in (?) and child_id in (?)',
          [listOf(foundDayIds), listOf(childIds)],
          trx
        )
      : Promise.resolve([]),
  ])
  const activityById = new Map(activities.map((activity) => [Number(activity.id), activity]))
  const booked = new Set(existing.map((row) => `${row.child_id}:${row.activity_day_id}`))
  const today = parisDayOf(now.toMillis())

  const outcomes: Outcome[] = []
  const candidates: Candidate[] = []
  const refuse = (reason: Extract<Outcome, { ok: false }>['reason'], message: string, waitlistOffered = false) =>
    ({ ok: false, reason, message, waitlistOffered }) as const
  for (const [index, request] of requests.entries()) {
    const { childId, dayId } = request
    const day = days.get(dayId)
    const acting = children.get(`${request.familyId}:${childId}`)
    const child = acting?.child
    if (!day) {
      outcomes.push(refuse('unknown_day', "Ce jour n'existe pas dans le planning."))
      continue
    }
    if (!child) {
      outcomes.push(refuse('not_registered', "Cet enfant n'appartient pas à la famille."))
      continue
    }
    const activity = activityById.get(day.activityId)!
    const dayRules = rules.get(day.activityId)!
    const described = describeDay(activity.name, day.day, child.firstName)
    let refusal: Outcome | null = null
    if (day.closed) refusal = refuse('closed', bookingRefusals.closed(day))
    else if (!registeredOn(childId, day.activityId, day.day)) refusal = refuse('not_registered', bookingRefusals.notRegistered(child, activity, day.day))
    else if (acting!.householdOn(day.day) !== request.familyId) refusal = refuse('other_household', bookingRefusals.otherHousehold(described))
    else if (dayRules.bookingOpensOn && today < dayRules.bookingOpensOn) refusal = refuse('not_open', bookingRefusals.notOpen(dayRules.bookingOpensOn))
    else if (!isBeforeDeadline(dayRules.bookingDeadline, day.day, now)) refusal = refuse('deadline', bookingRefusals.deadline(dayRules, day.day))
    else if (booked.has(`${childId}:${dayId}`)) refusal = refuse('already_booked', bookingRefusals.alreadyBooked(described))
    outcomes.push(refusal ?? refuse('full', bookingRefusals.full(described), true))
    if (!refusal) {
      booked.add(`${childId}:${dayId}`)
      candidates.push({
        index,
        request,
        day,
        group: ageGroupOn(child.birthDate, day.day),
        described,
        changed: { activityName: activity.name, isoDay: day.day, childFirstName: child.firstName },
      })
    }
  }

  const served = await takePlacesFor(candidates, trx)
  const accepted = candidates.filter((_, at) => served.has(at))
  if (!accepted.length) return outcomes
  const stamped = dbTimeOf(trx)
  await insertMany(
    trx,
    'planning_bookings',
    accepted.map(({ request, day, group }) => ({
      activity_day_id: day.id,
      activity_id: day.activityId,
      child_id: request.childId,
      family_id: request.familyId,
      day: day.day,
      age_group: group,
      late: false,
      forced: false,
      source: 'parent',
      booked_by: request.bookedBy !== undefined ? request.bookedBy : (actor?.id ?? null),
      on_behalf_reason: null,
      created_at: stamped,
      updated_at: stamped,
    }))
  )
  // the waiting-list entries the new bookings fulfil: read once, deleted by id (usually none)
  const fulfilled = new Set(accepted.map(({ request, day }) => `${request.childId}:${day.id}`))
  const acceptedDayIds = [...new Set(accepted.map(({ day }) => day.id))]
  const acceptedChildIds = [...new Set(accepted.map(({ request }) => request.childId))]
  const waiting = (
    await directRead<{ id: number; child_id: number; activity_day_id: number }>(
      'select id, child_id, activity_day_id from planning_waitlist_entries where activity_day_id in (?) and child_id in (?)',
      [listOf(acceptedDayIds), listOf(acceptedChildIds)],
      trx
    )
  ).filter((row) => fulfilled.has(`${row.child_id}:${row.activity_day_id}`))
  if (waiting.length) await directWrite('delete from planning_waitlist_entries where id in (?)', [listOf(waiting.map((row) => row.id))], trx)
  await recordHistory(accepted, trx)
  for (const candidate of accepted) {
    outcomes[candidate.index] = { ok: true, status: 'booked', message: `${candidate.described} : réservé.` }
  }
  return outcomes
}

/** One « Suivi de mes démarches » line per family for its days of the basket. */
async function recordHistory(accepted: Candidate[], trx: TransactionClientContract) {
  const byFamily = new Map<number, ChangedDay[]>()
  for (const { request, changed } of accepted) byFamily.set(request.familyId, [...(byFamily.get(request.familyId) ?? []), changed])
  const link = router.makeUrl('planning.index')
  const lines = [...byFamily].map(([familyId, changed]) => ({
    familyId,
    line: { module: 'planning', kind: 'booking', text: basketHistoryText('Réservation', changed), link },
  }))
  if (lines.length === 1) await historyService.record(lines[0].familyId, lines[0].line, trx)
  else await historyService.recordMany(lines, trx)
}

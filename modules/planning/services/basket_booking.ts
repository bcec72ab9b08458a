import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { historyService, custodyService } from '#modules/dossier/index'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import ActivityDay, { ageGroupOn, type AgeGroup } from '#modules/planning/models/activity_day'
import settingsService from '#modules/planning/services/settings_service'
import { isBeforeDeadline, PARIS } from '#modules/planning/services/deadline_rules'
import { isUniqueViolation } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'
import { basketHistoryText, bookingRefusals, describeDay, type Actor, type ChangedDay, type Outcome } from '#modules/planning/services/booking_outcome'
import { COUNTER } from '#modules/planning/services/place_counters'

interface Candidate {
  index: number
  childId: number
  day: ActivityDay
  group: AgeGroup
  described: string
  changed: ChangedDay
}

/**
 * A parent's basket of bookings, all days together in one transaction: the rows it needs are
 * read once (days, children, activities, rules, registrations, existing bookings), each
 * child-day gets its own answer, and places are taken by conditional UPDATEs of the days'
 * counters, one per age group and per "round" (a round holds each day once: two children of
 * the basket on the same day take two rounds). A refused day does not undo the others.
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
  try {
    return await db.transaction((trx) => bookInTransaction(familyId, pairs, actor, now, trx))
  } catch (error) {
    // a writer that did not take the day's lock: read again, the booking is then seen as existing
    if (!isUniqueViolation(error)) throw error
    return db.transaction((trx) => bookInTransaction(familyId, pairs, actor, now, trx))
  }
}

async function bookInTransaction(
  familyId: number,
  pairs: { childId: number; dayId: number }[],
  actor: Actor,
  now: DateTime,
  trx: TransactionClientContract
): Promise<Outcome[]> {
  const dayIds = [...new Set(pairs.map((pair) => pair.dayId))].sort((a, b) => a - b)
  const childIds = [...new Set(pairs.map((pair) => pair.childId))]
  const dayQuery = ActivityDay.query({ client: trx }).whereIn('id', dayIds).orderBy('id')
  if (trx.dialect.name === 'postgres') dayQuery.forUpdate()
  const days = new Map((await dayQuery).map((day) => [day.id, day]))
  const activityIds = [...new Set([...days.values()].map((day) => day.activityId))]
  const [children, activities, rules, registeredOn, existing] = await Promise.all([
    custodyService.actingChildren(familyId, childIds, trx),
    activityIds.length ? Activity.query({ client: trx }).whereIn('id', activityIds) : Promise.resolve([] as Activity[]),
    settingsService.rulesForMany(activityIds, trx),
    registrationQueryService.registeredOnCheck(childIds, activityIds, trx),
    days.size
      ? trx.from('planning_bookings').whereIn('activity_day_id', [...days.keys()]).whereIn('child_id', childIds).select('child_id', 'activity_day_id')
      : Promise.resolve([]),
  ])
  const activityById = new Map(activities.map((activity) => [activity.id, activity]))
  const booked = new Set(existing.map((row: any) => `${row.child_id}:${row.activity_day_id}`))
  const today = now.setZone(PARIS).toISODate()!

  const outcomes: Outcome[] = []
  const candidates: Candidate[] = []
  const refuse = (reason: Extract<Outcome, { ok: false }>['reason'], message: string, waitlistOffered = false) =>
    ({ ok: false, reason, message, waitlistOffered }) as const
  for (const [index, { childId, dayId }] of pairs.entries()) {
    const day = days.get(dayId)
    const acting = children.get(childId)
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
    else if (acting!.householdOn(day.day) !== familyId) refusal = refuse('other_household', bookingRefusals.otherHousehold(described))
    else if (dayRules.bookingOpensOn && today < dayRules.bookingOpensOn) refusal = refuse('not_open', bookingRefusals.notOpen(dayRules.bookingOpensOn))
    else if (!isBeforeDeadline(dayRules.bookingDeadline, day.day, now)) refusal = refuse('deadline', bookingRefusals.deadline(dayRules, day.day))
    else if (booked.has(`${childId}:${dayId}`)) refusal = refuse('already_booked', bookingRefusals.alreadyBooked(described))
    outcomes.push(refusal ?? refuse('full', bookingRefusals.full(described), true))
    if (!refusal) {
      booked.add(`${childId}:${dayId}`)
      candidates.push({
        index,
        childId,
        day,
        group: ageGroupOn(child.birthDate, day.day),
        described,
        changed: { activityName: activity.name, isoDay: day.day, childFirstName: child.firstName },
      })
    }
  }

  const accepted = await takePlaces(candidates, trx)
  if (!accepted.length) return outcomes
  const stamped = dbTimeOf(trx)
  const rows = accepted.map(({ childId, day, group }) => ({
    activity_day_id: day.id,
    activity_id: day.activityId,
    child_id: childId,
    family_id: familyId,
    day: day.day,
    age_group: group,
    late: false,
    forced: false,
    source: 'parent',
    booked_by: actor.id,
    on_behalf_reason: null,
    created_at: stamped,
    updated_at: stamped,
  }))
  // SQLite compounds at most 500 rows in one insert (knex writes UNION ALL)
  for (let at = 0; at < rows.length; at += 200) await trx.insertQuery().table('planning_bookings').multiInsert(rows.slice(at, at + 200))
  await trx
    .from('planning_waitlist_entries')
    .where((query) => {
      for (const { childId, day } of accepted) query.orWhere((pair) => pair.where('activity_day_id', day.id).where('child_id', childId))
    })
    .delete()
  await historyService.record(
    familyId,
    { module: 'planning', kind: 'booking', text: basketHistoryText('Réservation', accepted.map(({ changed }) => changed)), link: router.makeUrl('planning.index') },
    trx
  )
  for (const candidate of accepted) {
    outcomes[candidate.index] = { ok: true, status: 'booked', message: `${candidate.described} : réservé.` }
  }
  return outcomes
}

/** Takes one place per candidate where the day still has one; returns the candidates served. */
async function takePlaces(candidates: Candidate[], trx: TransactionClientContract): Promise<Candidate[]> {
  const rounds: Candidate[][] = []
  const seen = new Map<number, number>()
  for (const candidate of candidates) {
    const round = seen.get(candidate.day.id) ?? 0
    seen.set(candidate.day.id, round + 1)
    ;(rounds[round] ??= []).push(candidate)
  }
  const accepted: Candidate[] = []
  for (const round of rounds) {
    for (const group of ['under6', 'over6'] as const) {
      const wanted = round.filter((candidate) => candidate.group === group)
      if (!wanted.length) continue
      const { booked, capacity } = COUNTER[group]
      // Lucid drops RETURNING on SQLite (which has it since 3.35): knex writes the statement
      const update = trx
        .knexQuery()
        .from('activity_days')
        .whereIn(
          'id',
          wanted.map((candidate) => candidate.day.id)
        )
        .where('closed', false)
        .whereRaw(`${booked} < ${capacity}`)
        .whereRaw('booked_under6 + booked_over6 < room_capacity')
        .update({ [booked]: trx.knexRawQuery(`${booked} + 1`), updated_at: dbTimeOf(trx) }, ['id'])
        .toSQL()
      const result = await trx.rawQuery(update.sql, update.bindings as any[])
      const rows: { id: number }[] = Array.isArray(result) ? result : result.rows
      const taken = new Set(rows.map((row) => Number(row.id)))
      accepted.push(...wanted.filter((candidate) => taken.has(candidate.day.id)))
    }
  }
  return accepted.sort((a, b) => a.index - b.index)
}

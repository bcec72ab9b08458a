import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import audit from '#services/audit_service'
import { formatDate, formatDateTime } from '#core/format'
import { historyService, Child } from '#modules/dossier/index'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import ActivityDay, { ageGroupOn, type AgeGroup } from '#modules/planning/models/activity_day'
import Booking from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import { deadlineOf, isBeforeDeadline, PARIS } from '#modules/planning/services/deadline_rules'
import type { PlanningPromoted } from '#modules/planning/events'
import { bySex } from '#core/french'
import { affectedRows, isUniqueViolation } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'
import router from '@adonisjs/core/services/router'

export type RefusalReason =
  | 'full'
  | 'deadline'
  | 'not_registered'
  | 'closed'
  | 'not_open'
  | 'already_booked'
  | 'not_booked'
  | 'already_waiting'
  | 'has_place'
  | 'unknown_day'

export type Outcome =
  | { ok: true; status: 'booked' | 'cancelled' | 'waitlisted'; message: string; bookingId?: number }
  | { ok: false; reason: RefusalReason; message: string; waitlistOffered?: boolean }

export interface Actor {
  id: number
  fullName: string
}

export interface BookOptions {
  /** 'parent' checks every rule; 'staff' books on the family's behalf with a reason. */
  as: 'parent' | 'staff'
  actor: Actor
  /** Staff only: allowed past the deadline, logged. */
  reason?: string
  /** Staff only: books even when the day is full (raises the day's capacity by one). */
  overCapacity?: boolean
  now?: DateTime
}

export interface CancelOptions {
  as: 'parent' | 'staff'
  actor: Actor
  reason?: string
  now?: DateTime
}

interface DayContext {
  day: ActivityDay
  activity: Activity
  child: Child
  rules: ActivityRules
  group: AgeGroup
}

export const COUNTER: Record<AgeGroup, { booked: string; capacity: string }> = {
  under6: { booked: 'booked_under6', capacity: 'capacity_under6' },
  over6: { booked: 'booked_over6', capacity: 'capacity_over6' },
}

class RefusedError extends Error {
  constructor(readonly outcome: Outcome & { ok: false }) {
    super(outcome.message)
  }
}

function refuse(reason: RefusalReason, message: string, waitlistOffered = false): never {
  throw new RefusedError({ ok: false, reason, message, waitlistOffered })
}

/** "Vacances du 07/09/2026 (Lya)" */
export function describeDay(activityName: string, isoDay: string, childFirstName: string) {
  return `${activityName} du ${formatDate(isoDay)} (${childFirstName})`
}

function what(context: DayContext) {
  return describeDay(context.activity.name, context.day.day, context.child.firstName)
}

/** The sentences of a refused booking, shared with the basket (basket_booking). */
export const bookingRefusals = {
  closed: (day: ActivityDay) => `Journée fermée${day.closedReason ? ` : ${day.closedReason}` : ''}.`,
  notRegistered: (child: Child, activity: Activity, isoDay: string) =>
    `${child.firstName} ${bySex(child.sex, "n'est pas inscrit", "n'est pas inscrite", "n'a pas d'inscription")} à ${activity.name} le ${formatDate(isoDay)}.`,
  notOpen: (opensOn: string) => `Cette activité est ouverte à partir du ${formatDate(opensOn)}.`,
  deadline: (rules: ActivityRules, isoDay: string) =>
    `Délai de réservation dépassé (jusqu'au ${formatDateTime(deadlineOf(rules.bookingDeadline, isoDay))}) : écrivez au service par la messagerie (hors délai).`,
  alreadyBooked: (described: string) => `${described} : déjà réservé.`,
  full: (described: string) => `${described} : complet, plus de place. Une place en liste d'attente peut être demandée.`,
}

/**
 * Bookings, cancellations and waiting lists. A place is taken by one conditional UPDATE of the
 * day's counter for the child's age group, in the same transaction as the booking row; a
 * cancellation gives it back and promotes the waiting list in that transaction. Never count
 * then insert. Every query of a transaction passes the transaction (SQLite has one connection).
 */
class BookingService {
  async book(familyId: number, childId: number, activityDayId: number, options: BookOptions): Promise<Outcome> {
    const now = options.now ?? DateTime.utc()
    try {
      return await db.transaction(async (trx) => {
        const context = await this.#context(familyId, childId, activityDayId, trx)
        const { day, rules, group } = context
        if (day.closed) refuse('closed', bookingRefusals.closed(day))
        if (!(await registrationQueryService.isRegisteredOn(childId, day.activityId, day.day, trx))) {
          refuse('not_registered', bookingRefusals.notRegistered(context.child, context.activity, day.day))
        }
        const late = !isBeforeDeadline(rules.bookingDeadline, day.day, now)
        if (options.as === 'parent') {
          if (rules.bookingOpensOn && now.setZone(PARIS).toISODate()! < rules.bookingOpensOn) {
            refuse('not_open', bookingRefusals.notOpen(rules.bookingOpensOn))
          }
          if (late) refuse('deadline', bookingRefusals.deadline(rules, day.day))
        }
        const existing = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).first()
        if (existing) refuse('already_booked', bookingRefusals.alreadyBooked(what(context)))

        const { booked, capacity } = COUNTER[group]
        let taken = affectedRows(
          await trx
            .from('activity_days')
            .where('id', day.id)
            .where('closed', false)
            .whereRaw(`${booked} < ${capacity}`)
            .whereRaw('booked_under6 + booked_over6 < room_capacity')
            .update({ [booked]: trx.knexRawQuery(`${booked} + 1`), updated_at: dbTimeOf(trx) })
        )
        let forced = false
        if (taken !== 1 && options.as === 'staff' && options.overCapacity) {
          taken = affectedRows(
            await trx
              .from('activity_days')
              .where('id', day.id)
              .where('closed', false)
              .update({
                [booked]: trx.knexRawQuery(`${booked} + 1`),
                [capacity]: trx.knexRawQuery(`${capacity} + 1`),
                room_capacity: trx.knexRawQuery('room_capacity + 1'),
                updated_at: dbTimeOf(trx),
              })
          )
          forced = taken === 1
        }
        if (taken !== 1) {
          refuse('full', bookingRefusals.full(what(context)), true)
        }

        const booking = await Booking.create(
          {
            activityDayId: day.id,
            activityId: day.activityId,
            childId,
            familyId,
            day: day.day,
            ageGroup: group,
            late: options.as === 'staff' && late,
            forced,
            source: options.as,
            bookedBy: options.actor.id,
            onBehalfReason: options.as === 'staff' ? (options.reason ?? null) : null,
          },
          { client: trx }
        )
        await trx.from('planning_waitlist_entries').where('activity_day_id', day.id).where('child_id', childId).delete()
        const onBehalf = options.as === 'staff' ? ' (par le service)' : ''
        await historyService.record(
          familyId,
          { module: 'planning', kind: 'booking', text: `Réservation : ${what(context)}${onBehalf}`, link: router.makeUrl('planning.index') },
          trx
        )
        if (options.as === 'staff') {
          await audit.record(
            {
              actor: options.actor,
              action: 'planning.booking.on_behalf',
              subjectType: 'planning_booking',
              subjectId: booking.id,
              details: { familyId, childId, day: day.day, activityId: day.activityId, late, forced, reason: options.reason ?? null },
            },
            trx
          )
        }
        return { ok: true as const, status: 'booked' as const, bookingId: booking.id, message: `${what(context)} : réservé.` }
      })
    } catch (error) {
      if (error instanceof RefusedError) return error.outcome
      if (isUniqueViolation(error)) return { ok: false, reason: 'already_booked', message: 'Ce jour est déjà réservé.' }
      throw error
    }
  }

  async cancel(familyId: number, childId: number, activityDayId: number, options: CancelOptions): Promise<Outcome> {
    const now = options.now ?? DateTime.utc()
    const promoted: PlanningPromoted[] = []
    let outcome: Outcome
    try {
      outcome = await db.transaction(async (trx) => {
        const context = await this.#context(familyId, childId, activityDayId, trx)
        const { day, rules } = context
        const booking = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).first()
        if (!booking) refuse('not_booked', `${what(context)} : ce jour n'était pas réservé.`)
        if (options.as === 'parent' && !isBeforeDeadline(rules.cancelDeadline, day.day, now)) {
          refuse(
            'deadline',
            `Délai d'annulation dépassé (jusqu'au ${formatDateTime(deadlineOf(rules.cancelDeadline, day.day))}) : vous pouvez déclarer une absence.`
          )
        }
        const removed = affectedRows(await trx.from('planning_bookings').where('id', booking.id).delete())
        if (removed !== 1) refuse('not_booked', `${what(context)} : ce jour n'était plus réservé.`)
        const { booked, capacity } = COUNTER[booking.ageGroup]
        const changes: Record<string, unknown> = { [booked]: trx.knexRawQuery(`${booked} - 1`), updated_at: dbTimeOf(trx) }
        if (booking.forced) {
          changes[capacity] = trx.knexRawQuery(`${capacity} - 1`)
          changes.room_capacity = trx.knexRawQuery('room_capacity - 1')
        }
        const given = affectedRows(await trx.from('activity_days').where('id', day.id).whereRaw(`${booked} > 0`).update(changes))
        if (given !== 1) throw new Error(`activity_days ${day.id}: counter and bookings disagree`)

        const onBehalf = options.as === 'staff' ? ' (par le service)' : ''
        await historyService.record(
          familyId,
          { module: 'planning', kind: 'cancellation', text: `Annulation : ${what(context)}${onBehalf}`, link: router.makeUrl('planning.index') },
          trx
        )
        if (options.as === 'staff') {
          await audit.record(
            {
              actor: options.actor,
              action: 'planning.cancellation.on_behalf',
              subjectType: 'planning_booking',
              subjectId: booking.id,
              details: { familyId, childId, day: day.day, activityId: day.activityId, reason: options.reason ?? null },
            },
            trx
          )
        }
        if (!booking.forced) {
          const event = await this.#promote(day.id, context.activity, rules, now, trx)
          if (event) promoted.push(event)
        }
        return { ok: true as const, status: 'cancelled' as const, message: `${what(context)} : annulé.` }
      })
    } catch (error) {
      if (error instanceof RefusedError) return error.outcome
      throw error
    }
    for (const event of promoted) await emitter.emit('planning:promoted', event)
    return outcome
  }

  /** Puts a child on the waiting list of a full day (a day with a place is booked instead). */
  async joinWaitlist(familyId: number, childId: number, activityDayId: number, options: BookOptions): Promise<Outcome> {
    const now = options.now ?? DateTime.utc()
    try {
      return await db.transaction(async (trx) => {
        const context = await this.#context(familyId, childId, activityDayId, trx)
        const { day, rules, group } = context
        if (day.closed) refuse('closed', 'Journée fermée.')
        if (!(await registrationQueryService.isRegisteredOn(childId, day.activityId, day.day, trx))) {
          refuse('not_registered', bookingRefusals.notRegistered(context.child, context.activity, day.day))
        }
        if (options.as === 'parent' && !isBeforeDeadline(rules.bookingDeadline, day.day, now)) {
          refuse('deadline', 'Délai de réservation dépassé : la liste d\'attente est close pour ce jour.')
        }
        const booked = await Booking.query({ client: trx }).where('activity_day_id', day.id).where('child_id', childId).first()
        if (booked) refuse('already_booked', `${what(context)} : déjà réservé.`)
        if (day.placesLeft(group) > 0) refuse('has_place', `${what(context)} : il reste une place, cochez le jour pour le réserver.`)
        await WaitlistEntry.create(
          { activityDayId: day.id, activityId: day.activityId, childId, familyId, day: day.day, ageGroup: group, requestedBy: options.actor.id },
          { client: trx }
        )
        await historyService.record(
          familyId,
          { module: 'planning', kind: 'waitlist', text: `Liste d'attente : ${what(context)}`, link: router.makeUrl('planning.index') },
          trx
        )
        const rank = await trx
          .from('planning_waitlist_entries')
          .where('activity_day_id', day.id)
          .where('age_group', group)
          .count('* as total')
          .first()
        return {
          ok: true as const,
          status: 'waitlisted' as const,
          message: `${what(context)} : en liste d'attente (rang ${Number(rank?.total ?? 1)}).`,
        }
      })
    } catch (error) {
      if (error instanceof RefusedError) return error.outcome
      if (isUniqueViolation(error)) return { ok: false, reason: 'already_waiting', message: "Déjà en liste d'attente pour ce jour." }
      throw error
    }
  }

  async leaveWaitlist(familyId: number, childId: number, activityDayId: number): Promise<boolean> {
    const removed = await db
      .from('planning_waitlist_entries')
      .where('family_id', familyId)
      .where('child_id', childId)
      .where('activity_day_id', activityDayId)
      .delete()
    return affectedRows(removed) > 0
  }

  /**
   * Gives a freed place to the first child in line whose age group has a place, while the
   * booking deadline of the day has not passed. Returns the event to announce after commit.
   */
  async #promote(
    dayId: number,
    activity: Activity,
    rules: ActivityRules,
    now: DateTime,
    trx: TransactionClientContract
  ): Promise<PlanningPromoted | null> {
    const day = await ActivityDay.query({ client: trx }).where('id', dayId).firstOrFail()
    if (day.closed || !isBeforeDeadline(rules.bookingDeadline, day.day, now)) return null
    const waiting = await WaitlistEntry.query({ client: trx }).where('activity_day_id', dayId).orderBy('id')
    for (const entry of waiting) {
      if (!(await registrationQueryService.isRegisteredOn(entry.childId, day.activityId, day.day, trx))) continue
      const { booked, capacity } = COUNTER[entry.ageGroup]
      const taken = affectedRows(
        await trx
          .from('activity_days')
          .where('id', dayId)
          .whereRaw(`${booked} < ${capacity}`)
          .whereRaw('booked_under6 + booked_over6 < room_capacity')
          .update({ [booked]: trx.knexRawQuery(`${booked} + 1`), updated_at: dbTimeOf(trx) })
      )
      if (taken !== 1) continue
      const booking = await Booking.create(
        {
          activityDayId: dayId,
          activityId: day.activityId,
          childId: entry.childId,
          familyId: entry.familyId,
          day: day.day,
          ageGroup: entry.ageGroup,
          late: false,
          forced: false,
          source: 'waitlist',
          bookedBy: entry.requestedBy,
          onBehalfReason: null,
        },
        { client: trx }
      )
      await trx.from('planning_waitlist_entries').where('id', entry.id).delete()
      const child = await Child.query({ client: trx }).where('id', entry.childId).firstOrFail()
      await historyService.record(
        entry.familyId,
        {
          module: 'planning',
          kind: 'waitlist-promoted',
          text: `Place obtenue depuis la liste d'attente : ${activity.name} du ${formatDate(day.day)} (${child.firstName})`,
          link: router.makeUrl('planning.index'),
        },
        trx
      )
      return {
        familyId: entry.familyId,
        childFirstName: child.firstName,
        activityName: activity.name,
        date: day.day,
        childId: entry.childId,
        activityId: day.activityId,
        bookingId: booking.id,
      }
    }
    return null
  }

  async #context(familyId: number, childId: number, activityDayId: number, trx: TransactionClientContract): Promise<DayContext> {
    // one day's operations are serialised (PostgreSQL row lock; SQLite runs one transaction at a time)
    const query = ActivityDay.query({ client: trx }).where('id', activityDayId)
    if (trx.dialect.name === 'postgres') query.forUpdate()
    const day = await query.first()
    if (!day) refuse('unknown_day', "Ce jour n'existe pas dans le planning.")
    const child = await Child.query({ client: trx }).where('id', childId).where('family_id', familyId).first()
    if (!child) refuse('not_registered', "Cet enfant n'appartient pas à la famille.")
    const activity = await Activity.query({ client: trx }).where('id', day.activityId).firstOrFail()
    const rules = await settingsService.rulesFor(day.activityId, trx)
    return { day, child, activity, rules, group: ageGroupOn(child.birthDate, day.day) }
  }
}

const bookingService = new BookingService()
export default bookingService

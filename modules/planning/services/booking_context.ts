import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import router from '@adonisjs/core/services/router'
import audit from '#services/audit_service'
import { historyService, custodyService, type Child } from '#modules/dossier/index'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import ActivityDay, { ageGroupOn, type AgeGroup } from '#modules/planning/models/activity_day'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import {
  bookingRefusals,
  describeDay,
  outcomeOf,
  refuse,
  type Actor,
  type Outcome,
  type Refusal,
} from '#modules/planning/services/booking_outcome'

/** What a single-day operation reads before deciding: the day, the family's child, the activity and its rules. */
export interface DayContext {
  familyId: number
  day: ActivityDay
  activity: Activity
  child: Child
  rules: ActivityRules
  group: AgeGroup
  /** The family whose week holds the day: the child's own family, or under shared custody either household. */
  weekFamilyId: number
}

async function loadDayContext(
  familyId: number,
  childId: number,
  activityDayId: number,
  trx: TransactionClientContract
): Promise<DayContext> {
  // one day's operations are serialised (PostgreSQL row lock; SQLite runs one transaction at a time)
  const query = ActivityDay.query({ client: trx }).where('id', activityDayId)
  if (trx.dialect.name === 'postgres') query.forUpdate()
  const day = await query.first()
  if (!day) refuse('unknown_day', "Ce jour n'existe pas dans le planning.")
  const acting = (await custodyService.actingChildren(familyId, [childId], trx)).get(childId)
  if (!acting) refuse('not_registered', "Cet enfant n'appartient pas à la famille.")
  const child = acting.child
  const activity = await Activity.query({ client: trx }).where('id', day.activityId).firstOrFail()
  const rules = await settingsService.rulesFor(day.activityId, trx)
  return { familyId, day, child, activity, rules, group: ageGroupOn(child.birthDate, day.day), weekFamilyId: acting.householdOn(day.day) }
}

/**
 * Runs one single-day operation in its own transaction on the day's context (the day locked
 * first); a refusal becomes the outcome, and so does a duplicate row when `whenAlreadyThere` says how.
 */
export function onDay(
  ids: { familyId: number; childId: number; activityDayId: number },
  work: (context: DayContext, trx: TransactionClientContract) => Promise<Outcome>,
  whenAlreadyThere?: Refusal
): Promise<Outcome> {
  return outcomeOf(
    () =>
      db.transaction(async (trx) => work(await loadDayContext(ids.familyId, ids.childId, ids.activityDayId, trx), trx)),
    whenAlreadyThere
  )
}

export async function refuseUnlessRegistered(context: DayContext, trx: TransactionClientContract) {
  const { child, activity, day } = context
  if (!(await registrationQueryService.isRegisteredOn(child.id, day.activityId, day.day, trx))) {
    refuse('not_registered', bookingRefusals.notRegistered(child, activity, day.day))
  }
}

/** Under shared custody, a household books and joins waiting lists only in its own weeks. */
export function refuseUnlessTheirWeek(context: DayContext) {
  if (context.weekFamilyId !== context.familyId) refuse('other_household', bookingRefusals.otherHousehold(describeContext(context)))
}

/** "Vacances du 07/09/2026 (Lya)" for the context's day and child. */
export function describeContext(context: DayContext) {
  return describeDay(context.activity.name, context.day.day, context.child.firstName)
}

/**
 * Writes a booking or a cancellation in the family's history and, when the service acted on the
 * family's behalf, in the audit log with its reason.
 */
export async function recordChange(
  context: DayContext,
  change: {
    kind: 'booking' | 'cancellation'
    label: string
    bookingId: number
    details?: Record<string, unknown>
    by: { as: 'parent' | 'staff'; actor: Actor; reason?: string; historyLine?: boolean }
  },
  trx: TransactionClientContract
) {
  const { familyId, child, day } = context
  const onBehalf = change.by.as === 'staff' ? ' (par le service)' : ''
  if (change.by.historyLine !== false) {
    await historyService.record(
      familyId,
      { module: 'planning', kind: change.kind, text: `${change.label} : ${describeContext(context)}${onBehalf}`, link: router.makeUrl('planning.index') },
      trx
    )
  }
  if (change.by.as !== 'staff') return
  await audit.record(
    {
      actor: change.by.actor,
      action: `planning.${change.kind}.on_behalf`,
      subjectType: 'planning_booking',
      subjectId: change.bookingId,
      details: { familyId, childId: child.id, day: day.day, activityId: day.activityId, ...change.details, reason: change.by.reason ?? null },
    },
    trx
  )
}

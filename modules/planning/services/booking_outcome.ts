import type { DateTime } from 'luxon'
import { formatDate, formatDateTime } from '#core/format'
import { bySex } from '#core/french'
import { isUniqueViolation } from '#core/sql_results'
import type { Child } from '#modules/dossier/index'
import type { Activity } from '#modules/inscriptions/index'
import type ActivityDay from '#modules/planning/models/activity_day'
import type { ActivityRules } from '#modules/planning/services/settings_service'
import { deadlineOf } from '#modules/planning/services/deadline_rules'

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
  | 'other_household'

/** The day a change was about, for the basket's one history line. */
export interface ChangedDay {
  activityName: string
  isoDay: string
  childFirstName: string
}

export type Outcome =
  | { ok: true; status: 'booked' | 'cancelled' | 'waitlisted'; message: string; bookingId?: number; changed?: ChangedDay }
  | { ok: false; reason: RefusalReason; message: string; waitlistOffered?: boolean }

export type Refusal = Outcome & { ok: false }

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
  /** false: the caller (the basket) writes one history line for all its changes. */
  historyLine?: boolean
}

class RefusedError extends Error {
  constructor(readonly outcome: Refusal) {
    super(outcome.message)
  }
}

/** Stops a booking operation (and rolls its transaction back) with the parent's answer. */
export function refuse(reason: RefusalReason, message: string, waitlistOffered = false): never {
  throw new RefusedError({ ok: false, reason, message, waitlistOffered })
}

/**
 * Runs one booking operation: a refusal thrown inside becomes its outcome, and so does a unique
 * key refusing the row (another request got there first) when `whenAlreadyThere` is given.
 */
export async function outcomeOf(work: () => Promise<Outcome>, whenAlreadyThere?: Refusal): Promise<Outcome> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof RefusedError) return error.outcome
    if (whenAlreadyThere && isUniqueViolation(error)) return whenAlreadyThere
    throw error
  }
}

/** "Vacances du 07/09/2026 (Lya)" */
export function describeDay(activityName: string, isoDay: string, childFirstName: string) {
  return `${activityName} du ${formatDate(isoDay)} (${childFirstName})`
}

/**
 * One history line for a basket's bookings or cancellations (not one per day):
 * « Réservation : Cantine du 02/09/2026 (Lya) », or « Réservations de 16 jours : Cantine (Lya) :
 * 02/09/2026, 03/09/2026, … ; Garderie (Noé) : … ».
 */
export function basketHistoryText(label: 'Réservation' | 'Annulation', days: ChangedDay[]): string {
  if (days.length === 1) return `${label} : ${describeDay(days[0].activityName, days[0].isoDay, days[0].childFirstName)}`
  const groups = new Map<string, string[]>()
  for (const day of [...days].sort((a, b) => a.isoDay.localeCompare(b.isoDay))) {
    const key = `${day.activityName} (${day.childFirstName})`
    groups.set(key, [...(groups.get(key) ?? []), formatDate(day.isoDay)])
  }
  return `${label}s de ${days.length} jours : ${[...groups].map(([key, dates]) => `${key} : ${dates.join(', ')}`).join(' ; ')}`
}

/** The sentences of a refused booking, shared with the basket (basket_booking). */
export const bookingRefusals = {
  closed: (day: Pick<ActivityDay, 'closedReason'>) => `Journée fermée${day.closedReason ? ` : ${day.closedReason}` : ''}.`,
  notRegistered: (child: Child, activity: Pick<Activity, 'name'>, isoDay: string) =>
    `${child.firstName} ${bySex(child.sex, "n'est pas inscrit", "n'est pas inscrite", "n'a pas d'inscription")} à ${activity.name} le ${formatDate(isoDay)}.`,
  notOpen: (opensOn: string) => `Cette activité est ouverte à partir du ${formatDate(opensOn)}.`,
  deadline: (rules: ActivityRules, isoDay: string) =>
    `Délai de réservation dépassé (jusqu'au ${formatDateTime(deadlineOf(rules.bookingDeadline, isoDay))}) : écrivez au service par la messagerie (hors délai).`,
  alreadyBooked: (described: string) => `${described} : déjà réservé.`,
  otherHousehold: (described: string) => `${described} : semaine de l'autre foyer (garde alternée), c'est lui qui la réserve.`,
  full: (described: string) => `${described} : complet, plus de place. Une place en liste d'attente peut être demandée.`,
}

import { DateTime } from 'luxon'
import type Activity from '#modules/inscriptions/models/activity'
import type { Child } from '#modules/dossier/index'
import { maxIso, minIso, todayIso } from '#modules/inscriptions/services/calendar'

type ActivityRules = Pick<Activity, 'startsOn' | 'endsOn' | 'minAgeMonths' | 'maxAgeMonths' | 'schoolLevels'>
type ChildFacts = Pick<Child, 'birthDate' | 'classLevel'>

function normalizeLevel(level: string) {
  return level
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '')
    .toUpperCase()
}

/** The day the child is `months` months old (luxon's month arithmetic, end of month clamped). */
function dayAged(birthDate: string, months: number): string {
  return DateTime.fromISO(birthDate, { zone: 'utc' }).plus({ months }).toISODate()!
}

function hasAgeRule(activity: ActivityRules) {
  return activity.minAgeMonths !== null || activity.maxAgeMonths !== null
}

function hasLevelRule(activity: ActivityRules) {
  return !!activity.schoolLevels && activity.schoolLevels.length > 0
}

/** The child's class level is one the activity accepts. */
export function levelFits(activity: ActivityRules, child: ChildFacts): boolean {
  if (!hasLevelRule(activity) || !child.classLevel) return false
  const level = normalizeLevel(child.classLevel)
  return activity.schoolLevels!.some((accepted) => normalizeLevel(accepted) === level)
}

/** Days (inclusive) when the child's age is within the activity's range; null when never. */
export function ageWindow(activity: ActivityRules, child: ChildFacts): { from: string | null; to: string | null } {
  return {
    from: activity.minAgeMonths === null ? null : dayAged(child.birthDate, activity.minAgeMonths),
    // older than max months from the day of (max + 1) months
    to:
      activity.maxAgeMonths === null
        ? null
        : DateTime.fromISO(dayAged(child.birthDate, activity.maxAgeMonths + 1))
            .minus({ days: 1 })
            .toISODate()!,
  }
}

/**
 * Whether the activity fits the child on an ISO day: its age range or its school levels (either
 * one is enough when both are set); an activity without either rule fits every child.
 */
export function fitsOn(activity: ActivityRules, child: ChildFacts, isoDate: string): boolean {
  if (!hasAgeRule(activity) && !hasLevelRule(activity)) return true
  if (levelFits(activity, child)) return true
  if (!hasAgeRule(activity)) return false
  const { from, to } = ageWindow(activity, child)
  return (!from || isoDate >= from) && (!to || isoDate <= to)
}

/**
 * The days a child may start the activity: from today (or its first day) to its last day,
 * narrowed to the days the child's age fits. Null when there is none (past activity, too
 * young for the whole period, too old...).
 */
export function entryWindow(activity: ActivityRules, child: ChildFacts, today: string = todayIso()): { from: string; to: string } | null {
  let from = maxIso(today, activity.startsOn)
  let to = activity.endsOn
  if (hasAgeRule(activity) || hasLevelRule(activity)) {
    if (!levelFits(activity, child)) {
      if (!hasAgeRule(activity)) return null
      const age = ageWindow(activity, child)
      if (age.from) from = maxIso(from, age.from)
      if (age.to) to = minIso(to, age.to)
    }
  }
  return from <= to ? { from, to } : null
}

/** Registrations are accepted now (the window is open or not set). */
export function registrationOpen(activity: Pick<Activity, 'registrationOpensAt' | 'registrationClosesAt'>, now: DateTime = DateTime.now()): boolean {
  if (activity.registrationOpensAt && now < activity.registrationOpensAt) return false
  if (activity.registrationClosesAt && now > activity.registrationClosesAt) return false
  return true
}

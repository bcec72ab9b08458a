import { DateTime } from 'luxon'

export const PARIS = 'Europe/Paris'

/**
 * How long before a day a family may still book or cancel it online (règlement intérieur).
 * - days_before: N days before the day, at a time ("J-2 à 12:00"); skipWeekends counts only
 *   Monday–Friday ("J-2, week-end non compté").
 * - hours_before: N hours (real elapsed hours) before the day starts at `dayStart`.
 * - weekly_cutoff: for any day of a week, a fixed weekday and time of the week before
 *   ("le jeudi 12:00 pour la semaine suivante").
 * - none: until the day starts (midnight, Paris).
 */
export type DeadlineRule =
  | { kind: 'days_before'; days: number; time: string; skipWeekends: boolean }
  | { kind: 'hours_before'; hours: number; dayStart: string }
  | { kind: 'weekly_cutoff'; weekday: number; time: string }
  | { kind: 'none' }

export const DEFAULT_DEADLINE: DeadlineRule = { kind: 'days_before', days: 2, time: '12:00', skipWeekends: true }

const WEEKDAY_NAMES = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']

function parseTime(time: string): { hour: number; minute: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time)
  if (!match) throw new Error(`Heure invalide : ${time}`)
  const hour = Number(match[1])
  const minute = Number(match[2])
  if (hour > 23 || minute > 59) throw new Error(`Heure invalide : ${time}`)
  return { hour, minute }
}

function parisDay(isoDay: string): DateTime {
  const day = DateTime.fromISO(isoDay, { zone: PARIS })
  if (!day.isValid) throw new Error(`Date invalide : ${isoDay}`)
  return day.startOf('day')
}

function at(day: DateTime, time: string): DateTime {
  const { hour, minute } = parseTime(time)
  return day.set({ hour, minute, second: 0, millisecond: 0 })
}

/** The last instant (exclusive) at which the day may still be booked or cancelled, in UTC. */
export function deadlineOf(rule: DeadlineRule, isoDay: string): DateTime {
  const day = parisDay(isoDay)
  switch (rule.kind) {
    case 'none':
      return day.toUTC()
    case 'hours_before':
      return at(day, rule.dayStart).toUTC().minus({ hours: rule.hours })
    case 'days_before': {
      let cursor = day
      if (rule.skipWeekends) {
        let left = rule.days
        while (left > 0) {
          cursor = cursor.minus({ days: 1 })
          if (cursor.weekday <= 5) left -= 1
        }
      } else {
        cursor = cursor.minus({ days: rule.days })
      }
      return at(cursor, rule.time).toUTC()
    }
    case 'weekly_cutoff': {
      const monday = day.minus({ days: day.weekday - 1 })
      return at(monday.minus({ days: 7 }).plus({ days: rule.weekday - 1 }), rule.time).toUTC()
    }
  }
}

const deadlines = new Map<string, number>()
/** A rule's text in the keys above, made once per rule object (a month page asks for each day). */
const ruleKeys = new WeakMap<DeadlineRule, string>()

function ruleKey(rule: DeadlineRule): string {
  let key = ruleKeys.get(rule)
  if (key === undefined) ruleKeys.set(rule, (key = JSON.stringify(rule)))
  return key
}

/**
 * deadlineOf in epoch milliseconds, remembered: a day's deadline under a rule never changes,
 * and luxon's time-zone arithmetic costs a few hundred µs a call (a month page asks for each
 * day of each row, on every view).
 */
export function deadlineMillis(rule: DeadlineRule, isoDay: string): number {
  const key = `${isoDay}|${ruleKey(rule)}`
  let value = deadlines.get(key)
  if (value === undefined) {
    value = deadlineOf(rule, isoDay).toMillis()
    if (deadlines.size >= 50_000) deadlines.clear()
    deadlines.set(key, value)
  }
  return value
}

/** Midnight (Paris) at the start of an ISO day, in epoch milliseconds. */
export function parisMidnightMillis(isoDay: string): number {
  return deadlineMillis({ kind: 'none' }, isoDay)
}

/** True while `now` is strictly before the deadline of the day. */
export function isBeforeDeadline(rule: DeadlineRule, isoDay: string, now: DateTime): boolean {
  return now.toMillis() < deadlineMillis(rule, isoDay)
}

/** The rule in the words of a règlement intérieur. */
export function describeDeadline(rule: DeadlineRule): string {
  switch (rule.kind) {
    case 'none':
      return "jusqu'à la veille au soir"
    case 'hours_before':
      return `${rule.hours} heures avant le début de la journée (${rule.dayStart.replace(':', 'h')})`
    case 'days_before':
      return `${rule.days} jour${rule.days > 1 ? 's' : ''}${rule.skipWeekends ? ' ouvré' + (rule.days > 1 ? 's' : '') : ''} avant, à ${rule.time.replace(':', 'h')}${rule.skipWeekends ? ' (week-end non compté)' : ''}`
    case 'weekly_cutoff':
      return `le ${WEEKDAY_NAMES[rule.weekday]} à ${rule.time.replace(':', 'h')} pour la semaine suivante`
  }
}

/** Reads a stored rule (JSON text), falling back to the default on anything unexpected. */
export function parseDeadline(raw: unknown): DeadlineRule {
  let value: any = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      return DEFAULT_DEADLINE
    }
  }
  const checked = validateDeadline(value)
  return checked ?? DEFAULT_DEADLINE
}

/** A rule from untrusted input, or null when it does not hold together. */
export function validateDeadline(value: any): DeadlineRule | null {
  if (!value || typeof value !== 'object') return null
  const timeOk = (time: unknown) => typeof time === 'string' && /^([01]?\d|2[0-3]):[0-5]\d$/.test(time)
  const intIn = (n: unknown, min: number, max: number) => Number.isInteger(n) && (n as number) >= min && (n as number) <= max
  switch (value.kind) {
    case 'none':
      return { kind: 'none' }
    case 'hours_before':
      return intIn(value.hours, 0, 24 * 60) && timeOk(value.dayStart)
        ? { kind: 'hours_before', hours: value.hours, dayStart: value.dayStart }
        : null
    case 'days_before':
      return intIn(value.days, 0, 120) && timeOk(value.time)
        ? { kind: 'days_before', days: value.days, time: value.time, skipWeekends: Boolean(value.skipWeekends) }
        : null
    case 'weekly_cutoff':
      return intIn(value.weekday, 1, 7) && timeOk(value.time) ? { kind: 'weekly_cutoff', weekday: value.weekday, time: value.time } : null
    default:
      return null
  }
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { absoluteRoute } from '#core/absolute_url'
import { dbTime } from '#core/db_time'
import { insertNew } from '#core/bulk_insert'
import { addDays, parisDayOf } from '#core/calendar_day'
import { Activity, Registration } from '#modules/inscriptions/index'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import { deadlineMillis, PARIS } from '#modules/planning/services/deadline_rules'
import type { PlanningBookingReminder } from '#modules/planning/events'

/** Days before a week's booking deadline from which families are reminded (PLANNING_REMINDER_DAYS, default 3). */
export function reminderDays(): number {
  const days = Number(env.get('PLANNING_REMINDER_DAYS') ?? 3)
  return Number.isFinite(days) && days >= 0 ? days : 3
}

/** How far ahead the days are read: the reminder window plus the longest deadline lead (15 clear days before holidays and more). */
const HORIZON_DAYS = 45
const BATCH = 500

export interface ActivityPeriod {
  activityId: number
  /** ISO Monday and Sunday. */
  start: string
  end: string
  /** The booking deadline of the week's first open day. */
  deadline: DateTime
}

/**
 * The activity's next period: the first week (Monday to Sunday) whose first open day can
 * still be booked (booking open, deadline not passed). A week whose first day's deadline has
 * passed is over for reminders, even if later days can still be booked.
 */
export function nextPeriod(activityId: number, openDays: string[], rules: Pick<ActivityRules, 'bookingOpensOn' | 'bookingDeadline'>, now: DateTime): ActivityPeriod | null {
  const weeks = new Map<string, string>()
  for (const day of [...openDays].sort()) {
    const monday = DateTime.fromISO(day, { zone: PARIS }).startOf('week').toISODate()!
    if (!weeks.has(monday)) weeks.set(monday, day)
  }
  for (const [monday, first] of weeks) {
    if (rules.bookingOpensOn && first < rules.bookingOpensOn) continue
    const deadline = deadlineMillis(rules.bookingDeadline, first)
    if (deadline <= now.toMillis()) continue
    const start = DateTime.fromISO(monday, { zone: PARIS })
    return { activityId, start: monday, end: start.plus({ days: 6 }).toISODate()!, deadline: DateTime.fromMillis(deadline, { zone: 'utc' }) }
  }
  return null
}

/**
 * planning:remind: each family with a validated registration to an activity and nothing
 * booked in the activity's next period gets one reminder before that period's booking
 * deadline (within `reminderDays()` of it). Sent once per family, activity and week: the
 * journal (planning_reminders, unique key) is written first and only the rows this run wrote
 * are announced, so a second run, or two at once, send nothing twice. The queries do not
 * grow with the number of families but by batches of 500.
 */
class BookingReminders {
  /** The periods due for a reminder at `now`, per activity. */
  async duePeriods(now: DateTime): Promise<ActivityPeriod[]> {
    const today = parisDayOf(now.toMillis())
    const horizon = addDays(today, HORIZON_DAYS)
    const rows = await db.from('activity_days').where('closed', false).whereBetween('day', [today, horizon]).select('activity_id', 'day')
    const byActivity = new Map<number, string[]>()
    for (const row of rows) byActivity.set(Number(row.activity_id), [...(byActivity.get(Number(row.activity_id)) ?? []), row.day])
    const rules = await settingsService.rulesForMany([...byActivity.keys()])
    const limit = now.toMillis() + reminderDays() * 86_400_000
    const periods: ActivityPeriod[] = []
    for (const [activityId, days] of byActivity) {
      const activityRules = rules.get(activityId)!
      if (!activityRules.configured) continue
      const period = nextPeriod(activityId, days, activityRules, now)
      if (period && period.deadline.toMillis() <= limit) periods.push(period)
    }
    return periods
  }

  /** The reminders due at `now` that were never sent; `send` gets them a batch at a time, already journaled. */
  async run(now: DateTime, send: (batch: PlanningBookingReminder[]) => Promise<void>): Promise<{ periods: number; sent: number }> {
    const periods = await this.duePeriods(now)
    if (!periods.length) return { periods: 0, sent: 0 }
    const byActivity = new Map(periods.map((period) => [period.activityId, period]))
    const activityNames = new Map(
      (await Activity.query().whereIn('id', [...byActivity.keys()]).select('id', 'name')).map((activity) => [activity.id, activity.name])
    )

    const registrations = await Registration.query()
      .join('children', 'children.id', 'registrations.child_id')
      .whereIn('registrations.activity_id', [...byActivity.keys()])
      .where('registrations.state', 'validated')
      .select('registrations.family_id', 'registrations.activity_id', 'registrations.start_date', 'registrations.end_date', 'children.first_name')
      .orderBy('children.first_name')
      .pojo<{ family_id: number; activity_id: number; start_date: string; end_date: string | null; first_name: string }>()
    const booked = await db
      .from('planning_bookings')
      .where((query) => {
        for (const period of periods) query.orWhere((one) => one.where('activity_id', period.activityId).whereBetween('day', [period.start, period.end]))
      })
      .distinct('family_id', 'activity_id')
    const hasBooking = new Set(booked.map((row) => `${row.family_id}:${row.activity_id}`))

    const due = new Map<string, PlanningBookingReminder>()
    for (const row of registrations) {
      const period = byActivity.get(Number(row.activity_id))!
      if (row.start_date > period.end || (row.end_date && row.end_date < period.start)) continue
      const key = `${row.family_id}:${row.activity_id}`
      if (hasBooking.has(key)) continue
      const reminder = due.get(key) ?? {
        familyId: Number(row.family_id),
        activityId: Number(row.activity_id),
        activityName: activityNames.get(Number(row.activity_id)) ?? '',
        childFirstNames: [],
        periodStart: period.start,
        periodEnd: period.end,
        deadline: period.deadline.toUTC().toISO()!,
        url: absoluteRoute('planning.index', {}, { qs: { vue: 'semaine', date: period.start } }),
      }
      if (!reminder.childFirstNames.includes(row.first_name)) reminder.childFirstNames.push(row.first_name)
      due.set(key, reminder)
    }

    const candidates = [...due.values()]
    let sent = 0
    for (let at = 0; at < candidates.length; at += BATCH) {
      const batch = candidates.slice(at, at + BATCH)
      const written = await insertNew(
        db.connection(),
        'planning_reminders',
        batch.map((reminder) => ({ family_id: reminder.familyId, activity_id: reminder.activityId, period_start: reminder.periodStart, created_at: dbTime(now) })),
        ['family_id', 'activity_id', 'period_start'],
        ['family_id', 'activity_id']
      )
      const mine = new Set(written.map((row) => `${row.family_id}:${row.activity_id}`))
      const toSend = batch.filter((reminder) => mine.has(`${reminder.familyId}:${reminder.activityId}`))
      if (toSend.length) await send(toSend)
      sent += toSend.length
    }
    return { periods: periods.length, sent }
  }
}

const bookingReminders = new BookingReminders()
export default bookingReminders

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { DemoContext } from '#core/demo'
import { Activity, Registration } from '#modules/inscriptions/index'
import { familyService } from '#modules/dossier/index'
import PlanningSetting from '#modules/planning/models/planning_setting'
import SchoolHoliday from '#modules/planning/models/school_holiday'
import ActivityDay from '#modules/planning/models/activity_day'
import staffPlanningService from '#modules/planning/services/staff_planning_service'
import bookingService from '#modules/planning/services/booking_service'
import weeklyPatterns from '#modules/planning/services/weekly_patterns'
import WeeklyPattern from '#modules/planning/models/weekly_pattern'
import type { HolidayMode } from '#modules/planning/services/day_generator'
import { ageGroupOn } from '#modules/planning/models/activity_day'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import WaitlistOffer from '#modules/planning/models/waitlist_offer'
import settingsService from '#modules/planning/services/settings_service'
import { COUNTER } from '#modules/planning/services/place_counters'
import { offerExpiry } from '#modules/planning/services/waitlist_offers'

/** The school year's holidays (zone B, approximate dates for the demo: the staff keep the real ones). */
function demoHolidays(schoolYear: number) {
  const next = schoolYear + 1
  return [
    { name: 'Vacances de la Toussaint', startsOn: `${schoolYear}-10-17`, endsOn: `${schoolYear}-11-01` },
    { name: 'Vacances de Noël', startsOn: `${schoolYear}-12-19`, endsOn: `${next}-01-03` },
    { name: "Vacances d'hiver", startsOn: `${next}-02-20`, endsOn: `${next}-03-07` },
    { name: 'Vacances de printemps', startsOn: `${next}-04-17`, endsOn: `${next}-05-02` },
    { name: "Vacances d'été", startsOn: `${next}-07-04`, endsOn: `${next}-08-31` },
  ]
}

/**
 * Planning rules for the demo activities, their days for the current and next months (some of
 * them full), and bookings of the demo children on the coming days.
 */
export default async function seedPlanning(demo: DemoContext) {
  const now = demo.now
  const schoolYear = now.month >= 7 ? now.year : now.year - 1
  if (!(await SchoolHoliday.query().first())) {
    for (const holiday of demoHolidays(schoolYear)) await SchoolHoliday.create({ zone: 'B', ...holiday })
  }

  const from = now.startOf('month').toISODate()!
  const to = now.plus({ months: 1 }).endOf('month').toISODate()!
  const activities = await Activity.query().where('ends_on', '>=', from).where('starts_on', '<=', to).preload('activityType')
  for (const activity of activities) {
    const type = activity.activityType.name
    const afterSchool = type === 'Accueil périscolaire' || type === 'Restauration scolaire'
    const holidayMode: HolidayMode = activity.name.startsWith('Vacances') ? 'holidays_only' : 'school_weeks'
    const setting =
      (await PlanningSetting.findBy('activity_id', activity.id)) ??
      (await staffPlanningService.saveSettings(activity.id, {
        room_capacity: type === 'Restauration scolaire' ? 120 : 40,
        ratio_kind: afterSchool ? 'after_school' : 'holiday',
        staff_under6: type === 'Restauration scolaire' ? 4 : 2,
        staff_over6: type === 'Restauration scolaire' ? 6 : 2,
        holiday_mode: holidayMode,
        booking_kind: afterSchool ? 'days_before' : 'weekly_cutoff',
        booking_days: 2,
        booking_skip_weekends: true,
        booking_weekday: 4,
        booking_time: '12:00',
        cancel_kind: afterSchool ? 'days_before' : 'hours_before',
        cancel_days: 2,
        cancel_skip_weekends: true,
        cancel_hours: 72,
        cancel_time: afterSchool ? '12:00' : '08:00',
      }))
    await staffPlanningService.generate(activity, setting, { from, to })
  }

  const registrations = await Registration.query().where('state', 'validated').whereIn('activity_id', activities.map((a) => a.id)).preload('child')
  let booked = 0
  for (const registration of registrations) {
    const days = await ActivityDay.query()
      .where('activity_id', registration.activityId)
      .whereBetween('day', [now.plus({ days: 7 }).toISODate()!, to])
      .orderBy('day')
      .limit(8)
    const [userId] = await familyService.userIdsOf(registration.familyId)
    if (!userId) continue
    for (const day of days) {
      const outcome = await bookingService.book(registration.familyId, registration.childId, day.id, {
        as: 'parent',
        actor: { id: userId, fullName: 'Démo' },
      })
      if (outcome.ok) booked += 1
    }
  }

  // a standing weekly pattern: the Gueruccis' canteen (or first registration with days), Mondays and Thursdays
  const guerucci = (demo.state.families as Record<string, { id: number }> | undefined)?.guerucci
  const theirs = registrations.filter((registration) => registration.familyId === guerucci?.id)
  const canteen = (registration: Registration) => activities.find((a) => a.id === registration.activityId)?.activityType.name === 'Restauration scolaire'
  const patternOf = theirs.find(canteen) ?? theirs[0]
  if (patternOf && !(await WeeklyPattern.query().where('child_id', patternOf.childId).where('activity_id', patternOf.activityId).whereNull('stopped_at').first())) {
    const activity = activities.find((candidate) => candidate.id === patternOf.activityId)!
    const runs = activity.weekdays.length ? activity.weekdays : [1, 2, 3, 4, 5]
    const weekdays = runs.filter((day) => day === 1 || day === 4)
    const [userId] = await familyService.userIdsOf(patternOf.familyId)
    if (userId) await weeklyPatterns.create(
      patternOf.familyId,
      { childId: patternOf.childId, activityId: activity.id, weekdays: weekdays.length ? weekdays : runs.slice(0, 1), untilOn: patternOf.endDate ?? activity.endsOn },
      { id: userId, fullName: 'Démo' },
      now.toUTC()
    )
  }

  // a few full days, to show the waiting list: the room is brought down to what is booked
  const fullDays = await ActivityDay.query()
    .whereIn('activity_id', activities.filter((a) => a.activityType.name !== 'Restauration scolaire').map((a) => a.id))
    .where('day', '>', now.plus({ days: 10 }).toISODate()!)
    .orderBy('day')
    .limit(3)
  for (const day of fullDays) {
    await db
      .from('activity_days')
      .where('id', day.id)
      .update({ capacity_under6: day.bookedUnder6, capacity_over6: day.bookedOver6, room_capacity: day.bookedUnder6 + day.bookedOver6, updated_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat) })
  }
  const offerId = await seedOffer(demo, activities.filter((a) => a.activityType.name !== 'Restauration scolaire'))
  demo.state.planning = { bookings: booked, fullDays: fullDays.map((day) => day.id), offerId }
}

/**
 * A place offered to a child of the guide's family (Guerucci) from a waiting list, held on a
 * full day two weeks ahead: the offer page and the staff's waiting list show it.
 */
async function seedOffer(demo: DemoContext, activities: Activity[]) {
  const familyId = demo.state.families?.guerucci?.id
  if (!familyId) return null
  const registration = await Registration.query()
    .where('family_id', familyId)
    .where('state', 'validated')
    .whereIn('activity_id', activities.map((a) => a.id))
    .preload('child')
    .first()
  if (!registration) return null
  const day = await ActivityDay.query()
    .where('activity_id', registration.activityId)
    .where('closed', false)
    .where('day', '>', demo.now.plus({ days: 14 }).toISODate()!)
    .whereNotIn('id', db.from('planning_bookings').where('child_id', registration.childId).select('activity_day_id'))
    .orderBy('day')
    .first()
  if (!day) return null
  const group = ageGroupOn(registration.child.birthDate, day.day)
  const { booked, capacity } = COUNTER[group]
  const other = group === 'under6' ? COUNTER.over6 : COUNTER.under6
  const stamp = DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat)
  // full, with the offered place held: capacity = booked (the held place counted)
  await db
    .from('activity_days')
    .where('id', day.id)
    .update({
      [booked]: db.knexRawQuery(`${booked} + 1`),
      [capacity]: db.knexRawQuery(`${booked} + 1`),
      [other.capacity]: db.knexRawQuery(other.booked),
      room_capacity: db.knexRawQuery('booked_under6 + booked_over6 + 1'),
      updated_at: stamp,
    })
  const rules = await settingsService.rulesFor(day.activityId)
  const onDay = { activityDayId: day.id, activityId: day.activityId, childId: registration.childId, familyId, day: day.day, ageGroup: group }
  await WaitlistEntry.create(onDay)
  const offer = await WaitlistOffer.create({ ...onDay, status: 'pending', expiresAt: offerExpiry(rules, day.day, DateTime.utc()) })
  return offer.id
}

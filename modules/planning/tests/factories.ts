/* Bookable activities, days and bookings for every suite (tests/helpers/factories.ts lists them all). */
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Activity } from '#modules/inscriptions/index'
import { createFamily as createFamilyFile, uniqueSuffix } from '#modules/dossier/tests/factories'
import { createActivity as createInscriptionsActivity, createActivityType, createValidatedRegistration } from '#modules/inscriptions/tests/factories'
import ActivityDay from '#modules/planning/models/activity_day'
import Booking from '#modules/planning/models/booking'
import PlanningSetting from '#modules/planning/models/planning_setting'
import type { DeadlineRule } from '#modules/planning/services/deadline_rules'

type Capacity = { room: number; under6: number; over6: number }

/** An ISO day `days` after today in Paris. */
export function dayFromToday(days: number) {
  return DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
}

/** A family of the Martins with its parent accounts (Parent1, Parent2…) and children (default: Lya, 2017). */
export async function createFamily(options: { children?: { firstName: string; birthDate: string }[]; guardians?: number } = {}) {
  return createFamilyFile({
    guardians: Array.from({ length: options.guardians ?? 1 }, (_, index) => ({ firstName: `Parent${index + 1}` })),
    children: options.children ?? [{ firstName: 'Lya', birthDate: '2017-03-10' }],
  })
}

/** A family whose children all hold a validated registration on the activity. */
export async function registeredFamily(activity: Activity, options: Parameters<typeof createFamily>[0] = {}) {
  const created = await createFamily(options)
  for (const child of created.children) await createValidatedRegistration(activity, created.family.id, child.id)
  return created
}

/** An activity open every day, booked through the planning, from 30 days ago to 120 days ahead. */
export async function createActivity(
  options: {
    name?: string
    startsOn?: string
    endsOn?: string
    weekdays?: number[]
    bookingDeadline?: DeadlineRule
    cancelDeadline?: DeadlineRule
    bookingOpensOn?: string | null
    capacity?: Capacity
  } = {}
) {
  const type = await createActivityType(`Accueil de loisirs ${uniqueSuffix()}`, 1)
  const activity = await createInscriptionsActivity({
    activityTypeId: type.id,
    name: options.name ?? 'Vacances',
    startsOn: options.startsOn ?? dayFromToday(-30),
    endsOn: options.endsOn ?? dayFromToday(120),
    places: null,
    autoAccept: true,
    cancellationDeadlineDays: 0,
    weekdays: options.weekdays ?? [1, 2, 3, 4, 5, 6, 7],
  })
  const capacity = options.capacity ?? { room: 20, under6: 10, over6: 12 }
  await PlanningSetting.create({
    activityId: activity.id,
    roomCapacity: capacity.room,
    ratioKind: 'holiday',
    staffUnder6: 1,
    staffOver6: 1,
    capacityUnder6: capacity.under6,
    capacityOver6: capacity.over6,
    holidayMode: 'all',
    bookingOpensOn: options.bookingOpensOn ?? null,
    bookingDeadline: options.bookingDeadline ?? { kind: 'days_before', days: 2, time: '12:00', skipWeekends: false },
    cancelDeadline: options.cancelDeadline ?? { kind: 'days_before', days: 2, time: '12:00', skipWeekends: false },
  })
  return activity
}

export async function createDay(activity: { id: number }, day: string, capacity: Capacity = { room: 5, under6: 5, over6: 5 }) {
  return ActivityDay.create({
    activityId: activity.id,
    day,
    roomCapacity: capacity.room,
    capacityUnder6: capacity.under6,
    capacityOver6: capacity.over6,
    bookedUnder6: 0,
    bookedOver6: 0,
    closed: false,
  })
}

/** `count` days in a row from `first`, each with the same capacity. */
export async function createDays(activity: { id: number }, first: string, count: number, capacity?: Capacity) {
  const days: ActivityDay[] = []
  for (let index = 0; index < count; index++) {
    const date = new Date(`${first}T12:00:00Z`)
    date.setUTCDate(date.getUTCDate() + index)
    days.push(await createDay(activity, date.toISOString().slice(0, 10), capacity))
  }
  return days
}

/** Bookings of a child (over 6) as the planning stores them, with their attendance; a missing day is opened. */
export async function bookDays(
  activityId: number,
  familyId: number,
  childId: number,
  days: { date: string; attendance?: 'present' | 'absent' | 'justified' | null; late?: boolean }[]
) {
  for (const entry of days) {
    const day =
      (await ActivityDay.query().where('activity_id', activityId).where('day', entry.date).first()) ??
      (await createDay({ id: activityId }, entry.date, { room: 50, under6: 20, over6: 30 }))
    day.bookedOver6 += 1
    await day.save()
    await Booking.create({
      activityDayId: day.id,
      activityId,
      childId,
      familyId,
      day: entry.date,
      ageGroup: 'over6',
      late: entry.late ?? false,
      forced: false,
      source: entry.late ? 'staff' : 'parent',
      attendance: entry.attendance ?? null,
    })
  }
}

/**
 * For tests that commit (concurrent requests cannot share one test transaction): the activities
 * and registered families made through it are deleted, with their accounts, at the test's end.
 */
export function committedFixtures(cleanup: (handler: () => Promise<void>) => void) {
  const activities: Activity[] = []
  const familyIds: number[] = []
  const userIds: number[] = []
  cleanup(async () => {
    await db.from('activities').whereIn('id', activities.map((activity) => activity.id)).delete()
    await db.from('activity_types').whereIn('id', activities.map((activity) => activity.activityTypeId)).delete()
    await db.from('families').whereIn('id', familyIds).delete()
    await db.from('users').whereIn('id', userIds).delete()
  })
  return {
    async activity(options: Parameters<typeof createActivity>[0]) {
      const activity = await createActivity(options)
      activities.push(activity)
      return activity
    },
    async registeredFamily(activity: Activity, options: Parameters<typeof createFamily>[0] = {}) {
      const created = await registeredFamily(activity, options)
      familyIds.push(created.family.id)
      userIds.push(...created.users.map((user) => user.id))
      return created
    },
  }
}

/** The day's counters, its booking rows and the places held for pending offers, to check they agree (counter = rows + held). */
export async function dayCounts(dayId: number) {
  const day = await db.from('activity_days').where('id', dayId).first()
  const rows = await db.from('planning_bookings').where('activity_day_id', dayId).select('age_group')
  const held = await db.from('planning_waitlist_offers').where('activity_day_id', dayId).where('status', 'pending').select('age_group')
  return {
    under6: Number(day.booked_under6),
    over6: Number(day.booked_over6),
    capacityUnder6: Number(day.capacity_under6),
    capacityOver6: Number(day.capacity_over6),
    room: Number(day.room_capacity),
    rowsUnder6: rows.filter((row) => row.age_group === 'under6').length,
    rowsOver6: rows.filter((row) => row.age_group === 'over6').length,
    rows: rows.length,
    heldUnder6: held.filter((row) => row.age_group === 'under6').length,
    heldOver6: held.filter((row) => row.age_group === 'over6').length,
    held: held.length,
  }
}

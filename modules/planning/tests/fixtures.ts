import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#tests/helpers/users'
import { Family, Guardian, Child } from '#modules/dossier/index'
import { ActivityType, Activity, Registration } from '#modules/inscriptions/index'
import ActivityDay from '#modules/planning/models/activity_day'
import PlanningSetting from '#modules/planning/models/planning_setting'
import type { DeadlineRule } from '#modules/planning/services/deadline_rules'

let sequence = 0
const unique = () => `${Date.now().toString(36)}${++sequence}${Math.random().toString(36).slice(2, 6)}`

/** An ISO day `days` after today in Paris. */
export function dayFromToday(days: number) {
  return DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
}

export async function createFamily(options: { children?: { firstName: string; birthDate: string }[]; guardians?: number } = {}) {
  const family = await Family.create({ reference: `F-${unique()}`, regime: 'CAF', resident: true })
  const users = []
  for (let position = 1; position <= (options.guardians ?? 1); position++) {
    const user = await createUser('parent')
    await Guardian.create({ familyId: family.id, lastName: 'Martin', firstName: `Parent${position}`, userId: user.id, position })
    users.push(user)
  }
  const children = []
  for (const [index, child] of (options.children ?? [{ firstName: 'Lya', birthDate: '2017-03-10' }]).entries()) {
    children.push(
      await Child.create({
        familyId: family.id,
        reference: `E-${unique()}-${index}`,
        lastName: 'Martin',
        firstName: child.firstName,
        birthDate: child.birthDate,
        dietNeeds: [],
        pai: false,
        vaccinationsUpToDate: true,
        imageRights: false,
      })
    )
  }
  return { family, user: users[0], users, children }
}

export async function createActivity(
  options: {
    name?: string
    startsOn?: string
    endsOn?: string
    weekdays?: number[]
    bookingDeadline?: DeadlineRule
    cancelDeadline?: DeadlineRule
    bookingOpensOn?: string | null
    capacity?: { room: number; under6: number; over6: number }
  } = {}
) {
  const type = await ActivityType.create({ name: `Accueil de loisirs ${unique()}`, position: 1 })
  const activity = await Activity.create({
    activityTypeId: type.id,
    name: options.name ?? 'Vacances',
    startsOn: options.startsOn ?? dayFromToday(-30),
    endsOn: options.endsOn ?? dayFromToday(120),
    places: null,
    registeredCount: 0,
    feeCents: 0,
    autoAccept: true,
    cancellationDeadlineDays: 0,
    requiredDocuments: [],
    weekdays: options.weekdays ?? [1, 2, 3, 4, 5, 6, 7],
    unitLabel: 'jour',
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

export async function register(activity: Activity, familyId: number, childId: number, startDate?: string) {
  return Registration.create({
    familyId,
    childId,
    activityId: activity.id,
    state: 'validated',
    activeKey: 1,
    startDate: startDate ?? activity.startsOn,
  })
}

export async function createDay(activity: Activity, day: string, capacity = { room: 5, under6: 5, over6: 5 }) {
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

/** The day's counters and its booking rows, to check they agree. */
export async function dayCounts(dayId: number) {
  const day = await db.from('activity_days').where('id', dayId).first()
  const rows = await db.from('planning_bookings').where('activity_day_id', dayId).select('age_group')
  return {
    under6: Number(day.booked_under6),
    over6: Number(day.booked_over6),
    capacityUnder6: Number(day.capacity_under6),
    capacityOver6: Number(day.capacity_over6),
    room: Number(day.room_capacity),
    rowsUnder6: rows.filter((row) => row.age_group === 'under6').length,
    rowsOver6: rows.filter((row) => row.age_group === 'over6').length,
    rows: rows.length,
  }
}

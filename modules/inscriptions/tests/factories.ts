/* Activities and registrations for every suite (tests/helpers/factories.ts lists them all). */
import type { ModelAttributes } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import type { Child, Family } from '#modules/dossier/index'
import { createFamily as createFamilyFile, uniqueSuffix } from '#modules/dossier/tests/factories'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import registrationService, { type Actor } from '#modules/inscriptions/services/registration_service'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'
import { createUser } from '#tests/helpers/users'

export interface ChildSpec {
  firstName: string
  birthDate: string
  classLevel?: string | null
}

/** A family with one parent account (guardian 1, surname unique to it) and its children. */
export async function createFamily(children: ChildSpec[] = [{ firstName: 'Lya', birthDate: '2018-05-10', classLevel: 'CP' }]) {
  const suffix = uniqueSuffix()
  return createFamilyFile({
    lastName: `Martin${suffix}`,
    family: { email: `famille-${suffix}@exemple.test` },
    guardians: [{ civility: 'Mme' }],
    children: children.map((child) => ({ ...child, classLevel: child.classLevel ?? null })),
  })
}

export async function createActivityType(name = `Accueil de loisirs ${uniqueSuffix()}`, position = 0, serviceId: number | null = null) {
  return ActivityType.create({ name, position, serviceId })
}

/** An activity running from today to 60 days ahead, open, without age rule, 10 places. */
export async function createActivity(overrides: Partial<ModelAttributes<Activity>> = {}) {
  const type = overrides.activityTypeId ? null : await createActivityType()
  const today = todayIso()
  return Activity.create({
    activityTypeId: type?.id,
    name: `Mercredis ${uniqueSuffix()}`,
    startsOn: today,
    endsOn: addDays(today, 60),
    minAgeMonths: null,
    maxAgeMonths: null,
    schoolLevels: null,
    places: 10,
    registeredCount: 0,
    structureName: 'Accueil de loisirs Les Pitchouns',
    registrationOpensAt: null,
    registrationClosesAt: null,
    feeCents: 0,
    displayedAmountCents: 800,
    autoAccept: false,
    cancellationDeadlineDays: 2,
    requiredDocuments: [],
    weekdays: [1, 2, 4, 5],
    unitLabel: 'jour',
    ...overrides,
  })
}

/** A parent's request for a child, as the form sends it: from today unless told otherwise. */
export function requestRegistration(
  { family, user }: { family: Family; user: Actor },
  child: Child,
  activity: { id: number },
  startDate = todayIso()
) {
  return registrationService.request({ familyId: family.id, childId: child.id, activityId: activity.id, startDate, user })
}

/** A new family whose only child is asked for the activity: its account, file, child and request. */
export async function familyRequesting(activity: { id: number }, child: ChildSpec, startDate = todayIso()) {
  const { user, family, children } = await createFamily([child])
  const registration = await requestRegistration({ family, user }, children[0], activity, startDate)
  return { user, family, child: children[0], registration }
}

/** A registration the service has already validated, written as is (no request, no notice). */
export async function createValidatedRegistration(activity: Activity, familyId: number, childId: number, startDate = activity.startsOn) {
  return Registration.create({ familyId, childId, activityId: activity.id, state: 'validated', activeKey: 1, startDate })
}

/** A service of the commune (core table `services`) and one agent of it, for the staff of activities. */
export async function serviceWithAgent(name = `Service ${uniqueSuffix()}`) {
  const now = new Date()
  const [row] = await db.table('services').insert({ name, position: 9, created_at: now, updated_at: now }).returning('id')
  const serviceId = Number(typeof row === 'object' ? row.id : row)
  const agent = await createUser('staff')
  await db.table('user_services').insert({ user_id: agent.id, service_id: serviceId })
  return { serviceId, name, agent }
}

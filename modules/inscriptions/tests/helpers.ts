import { DateTime } from 'luxon'
import { Family, Child, Guardian } from '#modules/dossier/index'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import { createUser } from '#tests/helpers/users'
import { addDays, todayIso } from '#modules/inscriptions/services/calendar'

let sequence = 0
function next() {
  sequence += 1
  return `${Date.now().toString(36)}${sequence}`
}

export interface ChildSpec {
  firstName: string
  birthDate: string
  classLevel?: string | null
}

/** A family with one parent account (guardian 1) and its children. */
export async function createFamily(children: ChildSpec[] = [{ firstName: 'Lya', birthDate: '2018-05-10', classLevel: 'CP' }]) {
  const suffix = next()
  const user = await createUser('parent')
  const family = await Family.create({
    reference: `F-${suffix}`,
    regime: 'CAF',
    resident: true,
    email: `famille-${suffix}@exemple.test`,
  })
  await Guardian.create({
    familyId: family.id,
    civility: 'Mme',
    lastName: `Martin${suffix}`,
    firstName: 'Claire',
    email: user.email,
    userId: user.id,
    position: 1,
  })
  const created: Child[] = []
  for (const [index, spec] of children.entries()) {
    created.push(
      await Child.create({
        familyId: family.id,
        reference: `E-${suffix}-${index}`,
        lastName: `Martin${suffix}`,
        firstName: spec.firstName,
        birthDate: spec.birthDate,
        classLevel: spec.classLevel ?? null,
        dietNeeds: [],
        pai: false,
        vaccinationsUpToDate: true,
        imageRights: false,
      })
    )
  }
  return { user, family, children: created }
}

export async function createActivityType(name = `Accueil de loisirs ${next()}`) {
  return ActivityType.create({ name, position: 0 })
}

/** An activity running from today to 60 days ahead, open, without age rule, 10 places. */
export async function createActivity(overrides: Partial<Activity> = {}) {
  const type = overrides.activityTypeId ? null : await createActivityType()
  const today = todayIso()
  return Activity.create({
    activityTypeId: type?.id,
    name: `Mercredis ${next()}`,
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

export function isoInDays(days: number) {
  return addDays(todayIso(), days)
}

export function parisNow() {
  return DateTime.now().setZone('Europe/Paris')
}

/** A page's text without tags, entities decoded, spaces collapsed. */
export function htmlText(html: string) {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

export async function pageText(request: PromiseLike<{ text(): string }>) {
  const response = await request
  return htmlText(response.text())
}

export async function statusOf(request: PromiseLike<{ status(): number }>) {
  const response = await request
  return response.status()
}

export async function stateOf(registrationId: number) {
  const registration = await Registration.findOrFail(registrationId)
  return registration.state
}

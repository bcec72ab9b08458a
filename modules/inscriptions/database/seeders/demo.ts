import type { DemoContext } from '#core/demo'
import { User } from '#modules/accounts/index'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import registrationService, { type Actor } from '#modules/inscriptions/services/registration_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { maxIso } from '#modules/inscriptions/services/calendar'
import { serviceOptions } from '#modules/inscriptions/services/commune_services'

const LEVELS = ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2']

type ActivitySpec = Partial<Activity> & {
  key: string
  type: string
  name: string
  startsOn: string
  endsOn: string
}

/**
 * The guide's activities over the current school year and the coming (or current) summer, and
 * registrations of the demo children: some validated, some waiting for the service.
 */
export default async function seedInscriptions(demo: DemoContext) {
  const now = demo.now
  const schoolYear = now.month >= 7 ? now.year : now.year - 1
  const summer = now.month <= 8 ? now.year : now.year + 1
  const yearStart = `${schoolYear}-09-01`
  const yearEnd = `${schoolYear + 1}-07-04`

  // The demo commune has one service (Service Enfance, that of the demo agent): it runs every type.
  const serviceId = (await serviceOptions())[0]?.value ?? null
  const types = new Map<string, ActivityType>()
  for (const [position, name] of ['Accueil périscolaire', 'Accueil de loisirs', 'Restauration scolaire'].entries()) {
    const type = (await ActivityType.findBy('name', name)) ?? (await ActivityType.create({ name, position, serviceId }))
    if (type.serviceId === null && serviceId !== null) await type.merge({ serviceId }).save()
    types.set(name, type)
  }

  const specs: ActivitySpec[] = [
    {
      key: 'matin',
      type: 'Accueil périscolaire',
      name: 'Accueil du matin',
      startsOn: yearStart,
      endsOn: yearEnd,
      minAgeMonths: 36,
      maxAgeMonths: 143,
      places: 40,
      feeCents: 800,
      autoAccept: true,
      cancellationDeadlineDays: 2,
      weekdays: [1, 2, 4, 5],
      unitLabel: 'matin',
      structureName: 'École du Village',
      requiredDocuments: ['Fiche sanitaire'],
    },
    {
      key: 'soir',
      type: 'Accueil périscolaire',
      name: 'Accueil du soir',
      startsOn: yearStart,
      endsOn: yearEnd,
      minAgeMonths: 36,
      maxAgeMonths: 143,
      places: 40,
      feeCents: 800,
      autoAccept: true,
      cancellationDeadlineDays: 2,
      weekdays: [1, 2, 4, 5],
      unitLabel: 'soir',
      structureName: 'École du Village',
      requiredDocuments: ['Fiche sanitaire'],
    },
    {
      key: 'mercredis',
      type: 'Accueil de loisirs',
      name: 'Mercredis',
      startsOn: yearStart,
      endsOn: yearEnd,
      minAgeMonths: 36,
      maxAgeMonths: 143,
      places: 24,
      displayedAmountCents: 1050,
      autoAccept: false,
      cancellationDeadlineDays: 7,
      weekdays: [3],
      unitLabel: 'journée',
      structureName: 'Accueil de loisirs Les Pitchouns',
      requiredDocuments: ['Fiche sanitaire', 'Attestation d’assurance'],
    },
    {
      key: 'vacances',
      type: 'Accueil de loisirs',
      name: `Vacances d'été ${summer}`,
      startsOn: `${summer}-07-06`,
      endsOn: `${summer}-08-28`,
      minAgeMonths: 36,
      maxAgeMonths: 167,
      places: 30,
      displayedAmountCents: 1500,
      autoAccept: false,
      cancellationDeadlineDays: 15,
      weekdays: [1, 2, 3, 4, 5],
      unitLabel: 'journée',
      structureName: 'Accueil de loisirs Les Pitchouns',
      requiredDocuments: ['Fiche sanitaire', 'Attestation d’assurance'],
    },
    {
      key: 'cantine',
      type: 'Restauration scolaire',
      name: 'Restauration scolaire',
      startsOn: yearStart,
      endsOn: yearEnd,
      schoolLevels: LEVELS,
      places: null,
      displayedAmountCents: 355,
      autoAccept: true,
      cancellationDeadlineDays: 2,
      weekdays: [1, 2, 4, 5],
      unitLabel: 'repas',
      structureName: 'Groupe scolaire',
    },
  ]

  const activities = new Map<string, Activity>()
  for (const { key, type, ...values } of specs) {
    const typeId = types.get(type)!.id
    let activity = await Activity.query().where('activity_type_id', typeId).where('name', values.name).first()
    activity ??= await Activity.create({
      activityTypeId: typeId,
      minAgeMonths: null,
      maxAgeMonths: null,
      schoolLevels: null,
      places: null,
      registeredCount: 0,
      feeCents: 0,
      displayedAmountCents: null,
      requiredDocuments: [],
      ...values,
    })
    activities.set(key, activity)
  }

  const families: Record<string, { id: number; userIds: number[]; children: Record<string, number> }> = demo.state.families ?? {}
  const staffIds: number[] = Object.values(demo.state.staff ?? {})
  const staffUser = staffIds.length ? await User.find(staffIds[0]) : await User.query().whereIn('role', ['staff', 'admin']).first()
  const agent: Actor | null = staffUser ? { id: staffUser.id, fullName: staffUser.fullName } : null

  const wanted: {
    family: string
    child: string
    activity: string
    decide: boolean
  }[] = [
    { family: 'guerucci', child: 'Lya', activity: 'matin', decide: true },
    { family: 'guerucci', child: 'Lya', activity: 'cantine', decide: true },
    { family: 'guerucci', child: 'Lya', activity: 'vacances', decide: false },
    { family: 'guerucci', child: 'Mael', activity: 'cantine', decide: true },
    { family: 'guerucci', child: 'Mael', activity: 'mercredis', decide: false },
    { family: 'martin', child: 'Chloé', activity: 'cantine', decide: true },
    { family: 'martin', child: 'Chloé', activity: 'vacances', decide: false },
    { family: 'ndiaye', child: 'Inès', activity: 'mercredis', decide: true },
    { family: 'ndiaye', child: 'Inès', activity: 'vacances', decide: false },
  ]
  const today = now.toISODate()!
  for (const item of wanted) {
    const family = families[item.family]
    const childId = family?.children?.[item.child]
    const activity = activities.get(item.activity)!
    if (!family || !childId || activity.endsOn < today) continue
    const existing = await Registration.query().where('child_id', childId).where('activity_id', activity.id).whereNotNull('active_key').first()
    if (existing) continue
    const user = family.userIds.length ? await User.find(family.userIds[0]) : null
    if (!user) continue
    const registration = await registrationService
      .request({
        familyId: family.id,
        childId,
        activityId: activity.id,
        startDate: maxIso(today, activity.startsOn),
        user: { id: user.id, fullName: user.fullName },
      })
      .catch((error) => {
        // a child the rules refuse (age, class) is simply left out of the demo
        if (error instanceof InscriptionRefusal) return null
        throw error
      })
    if (registration && item.decide && registration.state === 'requested' && agent) {
      await registrationService.validate(registration.id, agent)
    }
  }
}

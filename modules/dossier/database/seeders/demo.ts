import { randomUUID } from 'node:crypto'
import drive from '@adonisjs/drive/services/main'
import { DEMO_PASSWORD, type DemoContext } from '#core/demo'
import { User, CGU_VERSION } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import seedDemoPickupAccess from '#modules/dossier/database/seeders/demo_pickup_access'
import FamilyDocument from '#modules/dossier/models/family_document'
import HistoryEntry from '#modules/dossier/models/history_entry'
import historyService from '#modules/dossier/services/history_service'
import ChildPhoto from '#modules/dossier/models/child_photo'
import { cleanPhoto } from '#modules/dossier/services/photo_image'
import { DEMO_CHILD_PHOTO } from '#modules/dossier/database/seeders/demo_child_photo'
import CustodyArrangement from '#modules/dossier/models/custody_arrangement'
import { formatDate } from '#core/format'

interface DemoGuardian {
  username: string
  civility: 'Mme' | 'M.'
  firstName: string
  lastName: string
  email: string
  phone: string
  account: boolean
  /** Birth identity the API Particulier stand-in knows (test_cases.ts DEMO_IDENTITIES). */
  birth?: Pick<Guardian, 'birthName' | 'birthFirstNames' | 'birthSex' | 'birthDate' | 'birthCountryCode' | 'birthCommuneCode'>
}

interface DemoFamily {
  key: string
  reference: string
  address: string
  postalCode: string
  city: string
  phone: string | null
  email: string
  familyQuotient: number | null
  quotientSource: 'CAF' | 'MSA' | null
  regime: 'CAF' | 'MSA' | 'AUTRE'
  guardians: DemoGuardian[]
  children: Array<Partial<Child> & { reference: string; firstName: string; lastName: string; birthDate: string }>
  persons: Array<Partial<AuthorizedPerson>>
}

/** A tiny valid PDF, so the demo has a document to download. */
function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 72 770 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 72 770 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(body.length)
    body += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => String(o).padStart(10, '0') + ' 00000 n \n').join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

const FAMILIES: DemoFamily[] = [
  {
    key: 'guerucci',
    reference: 'DEMO-001',
    address: '12 chemin des Oliviers',
    postalCode: '06670',
    city: 'Colomars',
    phone: '04 93 00 11 22',
    email: 'famille.guerucci@demo.portail-famille.fr',
    familyQuotient: 850,
    quotientSource: 'CAF',
    regime: 'CAF',
    guardians: [
      { username: 'parent', civility: 'Mme', firstName: 'Christine', lastName: 'Guerucci', email: 'parent@demo.portail-famille.fr', phone: '06 12 34 56 78', account: true, birth: { birthName: 'ROSSI', birthFirstNames: 'Christine Marie', birthSex: 'F', birthDate: '1984-04-12', birthCountryCode: '99100', birthCommuneCode: '06088' } },
      { username: 'parent2', civility: 'M.', firstName: 'Romain', lastName: 'Guerucci', email: 'romain.guerucci@demo.portail-famille.fr', phone: '06 98 76 54 32', account: true },
    ],
    children: [
      { reference: 'E001', firstName: 'Lya', lastName: 'Guerucci', birthDate: '2016-03-14', sex: 'F', school: 'École du Village', classLevel: 'CM2', dietNeeds: ['sans porc'], allergies: null, vaccinationsUpToDate: true, imageRights: true, doctorName: 'Dr Martin', doctorPhone: '04 93 11 22 33' },
      { reference: 'E002', firstName: 'Mael', lastName: 'Guerucci', birthDate: '2019-09-02', sex: 'M', school: 'École du Village', classLevel: 'GS', dietNeeds: [], allergies: 'Arachide', pai: true, vaccinationsUpToDate: true, imageRights: false, doctorName: 'Dr Martin', doctorPhone: '04 93 11 22 33' },
    ],
    persons: [{ firstName: 'Josette', lastName: 'Guerucci', phone: '06 11 22 33 44', relationship: 'grand-mère', mayPickUp: true, emergencyContact: true }],
  },
  {
    key: 'martin',
    reference: 'DEMO-002',
    address: 'Résidence Les Pins, bâtiment B',
    postalCode: '06670',
    city: 'Colomars',
    phone: null,
    email: 'famille.martin@demo.portail-famille.fr',
    familyQuotient: 1320,
    quotientSource: 'MSA',
    regime: 'MSA',
    guardians: [
      { username: 'parent.martin', civility: 'M.', firstName: 'Stéphane', lastName: 'Martin', email: 'stephane.martin@demo.portail-famille.fr', phone: '06 22 33 44 55', account: true, birth: { birthName: 'MARTIN', birthFirstNames: 'Stéphane', birthSex: 'M', birthDate: '1979-02-27', birthCountryCode: '99100', birthCommuneCode: '06088' } },
    ],
    children: [
      { reference: 'E001', firstName: 'Chloé', lastName: 'Martin', birthDate: '2014-11-05', sex: 'F', school: 'École du Village', classLevel: 'CM2', dietNeeds: ['sans gluten'], vaccinationsUpToDate: true, imageRights: true },
    ],
    persons: [],
  },
  {
    key: 'ndiaye',
    reference: 'DEMO-003',
    address: "3 place de l'Église",
    postalCode: '06670',
    city: 'Colomars',
    phone: null,
    email: 'famille.ndiaye@demo.portail-famille.fr',
    familyQuotient: null,
    quotientSource: null,
    regime: 'AUTRE',
    guardians: [
      { username: 'parent.ndiaye', civility: 'Mme', firstName: 'Aïssatou', lastName: 'N’Diaye', email: 'aissatou.ndiaye@demo.portail-famille.fr', phone: '07 11 22 33 44', account: true, birth: { birthName: 'N’DIAYE', birthFirstNames: 'Aïssatou', birthSex: 'F', birthDate: '1988-10-03', birthCountryCode: '99341', birthCommuneCode: null } },
    ],
    children: [
      { reference: 'E001', firstName: 'Inès', lastName: 'N’Diaye', birthDate: '2018-06-21', sex: 'F', school: 'École du Village', classLevel: 'CE1', dietNeeds: ['sans porc', 'sans gluten'], vaccinationsUpToDate: false, imageRights: true },
    ],
    persons: [{ firstName: 'Paul', lastName: 'Durand', phone: '06 55 44 33 22', relationship: 'voisin', mayPickUp: true, emergencyContact: false }],
  },
]

/**
 * Three families of the demo commune: the Guerucci family of the guide (Lya and Mael, two
 * parents), a single father, a single mother without QF. Parents log in with DEMO_PASSWORD.
 */
export default async function seedDossier(demo: DemoContext) {
  const cgu = CGU_VERSION
  const now = demo.now.toUTC()
  demo.state.families ??= {}

  for (const spec of FAMILIES) {
    let family = await Family.findBy('reference', spec.reference)
    const created = !family
    family ??= new Family()
    family.merge({
      reference: spec.reference,
      address: spec.address,
      postalCode: spec.postalCode,
      city: spec.city,
      phone: spec.phone,
      email: spec.email,
      familyQuotient: spec.familyQuotient,
      quotientSource: spec.quotientSource,
      quotientReferenceDate: spec.familyQuotient ? `${now.year}-01-01` : null,
      regime: spec.regime,
      resident: true,
    })
    await family.save()

    const userIds: number[] = []
    for (const [index, person] of spec.guardians.entries()) {
      let user = (await User.findBy('username', person.username)) ?? (await User.findBy('email', person.email))
      user ??= new User()
      user.merge({
        username: person.username,
        email: person.email,
        fullName: `${person.firstName} ${person.lastName}`,
        role: 'parent',
        state: 'active',
        password: DEMO_PASSWORD,
        cguVersion: cgu,
        cguAcceptedAt: cgu ? now : null,
        activatedAt: now,
      })
      await user.save()
      userIds.push(user.id)
      const guardian = (await Guardian.query().where('family_id', family.id).where('position', index + 1).first()) ?? new Guardian()
      guardian.merge({
        familyId: family.id,
        position: index + 1,
        civility: person.civility,
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        userId: user.id,
      })
      // What the parent corrected on « Récupérer mon quotient familial » is kept.
      if (person.birth && !guardian.birthName) guardian.merge(person.birth)
      await guardian.save()
      demo.logins.push({
        role: 'parent',
        username: person.username,
        password: DEMO_PASSWORD,
        note: `${person.firstName} ${person.lastName}, famille ${spec.reference} (${spec.children.map((c) => c.firstName).join(', ')})`,
      })
    }

    const children: Record<string, number> = {}
    for (const data of spec.children) {
      const child = (await Child.query().where('family_id', family.id).where('reference', data.reference).first()) ?? new Child()
      child.merge({ dietNeeds: [], pai: false, vaccinationsUpToDate: false, imageRights: false, ...data, familyId: family.id })
      await child.save()
      children[data.firstName] = child.id
    }

    await AuthorizedPerson.query().where('family_id', family.id).delete()
    const persons = []
    for (const person of spec.persons) persons.push(await AuthorizedPerson.create({ ...person, familyId: family.id }))
    if (spec.key === 'guerucci') await seedDemoPickupAccess(demo, family.id, persons[0].id, Object.values(children))

    if (created) {
      const key = `families/${family.id}/${randomUUID()}.pdf`
      const bytes = demoPdf(`Reglement interieur - ${spec.reference}`)
      await drive.use().put(key, bytes)
      await FamilyDocument.create({
        familyId: family.id,
        childId: null,
        category: 'autre',
        name: 'Règlement intérieur de l’accueil de loisirs.pdf',
        storageKey: key,
        mime: 'application/pdf',
        size: bytes.length,
        origin: 'service',
        state: 'accepted',
      })
      if (spec.key === 'guerucci') {
        const paiKey = `families/${family.id}/${randomUUID()}.pdf`
        const paiBytes = demoPdf('PAI - Mael')
        await drive.use().put(paiKey, paiBytes)
        const pai = await FamilyDocument.create({
          familyId: family.id,
          childId: children.Mael,
          category: 'pai',
          name: 'PAI Mael.pdf',
          storageKey: paiKey,
          mime: 'application/pdf',
          size: paiBytes.length,
          origin: 'family',
          state: 'accepted',
          uploadedBy: userIds[0],
        })
        await Child.query().where('id', children.Mael).update({ pai: true, pai_document_id: pai.id })
        // Lya's card on « Mes enfants » has a photo (Mael's shows the placeholder).
        const photo = await cleanPhoto(DEMO_CHILD_PHOTO)
        const photoKey = `families/${family.id}/children/${children.Lya}/${randomUUID()}.jpg`
        await drive.use().put(photoKey, photo.bytes)
        await ChildPhoto.create({ childId: children.Lya, familyId: family.id, storageKey: photoKey, mime: 'image/jpeg', width: photo.width, height: photo.height, size: photo.bytes.length, uploadedBy: userIds[0] })
      }
      const existing = await HistoryEntry.query().where('family_id', family.id).first()
      if (!existing) {
        await historyService.record(family.id, { module: 'dossier', kind: 'family-created', text: 'Dossier créé par le service' })
      }
    }

    demo.state.families[spec.key] = { id: family.id, reference: family.reference, userIds, children }
  }
  await seedSharedCustody(demo)
}

/** Inès N'Diaye in shared custody with the Martins' household since the start of the month (the N'Diayes the even weeks). */
async function seedSharedCustody(demo: DemoContext) {
  const { ndiaye, martin } = demo.state.families
  const childId = ndiaye?.children?.['Inès']
  if (!childId || !martin || (await CustodyArrangement.findBy('child_id', childId))) return
  const startsOn = demo.now.setZone('Europe/Paris').startOf('month').toISODate()!
  await CustodyArrangement.create({ childId, otherFamilyId: martin.id, evenWeeksFamilyId: ndiaye.id, startsOn, endsOn: null, createdBy: null })
  const text = (weeks: string) => `Garde alternée d'Inès à partir du ${formatDate(startsOn)} : votre foyer a les semaines ${weeks}`
  await historyService.record(ndiaye.id, { module: 'dossier', kind: 'custody-started', text: text('paires') })
  await historyService.record(martin.id, { module: 'dossier', kind: 'custody-started', text: text('impaires') })
}

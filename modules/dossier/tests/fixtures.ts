import { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import FamilyDocument from '#modules/dossier/models/family_document'
import drive from '@adonisjs/drive/services/main'

let counter = 0

/** A family with an active parent account, a child, an authorized person and one document. */
export async function makeFamily(name = 'Dupont') {
  counter++
  const suffix = `${Date.now().toString(36)}${counter}`
  const user = await User.create({
    username: `parent-${suffix}`,
    email: `parent-${suffix}@exemple.fr`,
    fullName: `Alice ${name}`,
    role: 'parent',
    state: 'active',
    password: 'Un-mot-de-passe-solide-2026',
  })
  const family = await Family.create({
    reference: `T-${suffix}`,
    address: '1 rue des Tests',
    postalCode: '06670',
    city: 'Colomars',
    email: `famille-${suffix}@exemple.fr`,
    familyQuotient: 700,
    quotientSource: 'CAF',
    regime: 'CAF',
    resident: true,
  })
  const guardian = await Guardian.create({ familyId: family.id, position: 1, civility: 'Mme', firstName: 'Alice', lastName: name, email: user.email, phone: '06 00 00 00 01', userId: user.id })
  const child = await Child.create({
    familyId: family.id,
    reference: 'E1',
    firstName: `Enfant${name}`,
    lastName: name,
    birthDate: '2017-05-04',
    sex: 'F',
    dietNeeds: ['sans gluten'],
    allergies: 'Kiwi',
    pai: false,
    vaccinationsUpToDate: true,
    imageRights: false,
  })
  const person = await AuthorizedPerson.create({ familyId: family.id, firstName: 'Jean', lastName: `Voisin${name}`, phone: '06 00 00 00 02', relationship: 'voisin', mayPickUp: true, emergencyContact: false })
  const key = `families/${family.id}/test-${suffix}.pdf`
  await drive.use().put(key, Buffer.from(`%PDF-1.4 document de ${name}\n%%EOF\n`))
  const document = await FamilyDocument.create({
    familyId: family.id,
    category: 'vaccinations',
    name: `vaccins-${name}.pdf`,
    storageKey: key,
    mime: 'application/pdf',
    size: 30,
    origin: 'family',
    state: 'pending',
    uploadedBy: user.id,
  })
  return { user, family, guardian, child, person, document }
}

export async function makeStaff() {
  counter++
  const suffix = `${Date.now().toString(36)}${counter}`
  return User.create({
    username: `agent-${suffix}`,
    email: `agent-${suffix}@mairie.fr`,
    fullName: 'Marc Agent',
    role: 'staff',
    state: 'active',
    password: 'Un-mot-de-passe-solide-2026',
  })
}

/** The text of an HTML response with Edge's escapes undone, to look for French sentences. */
export function pageText(response: { text(): string }): string {
  return (response.text() ?? '')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The raw mails of the test outbox (MAIL_OUTBOX_PATH) that name an address. */
export async function outboxMailsTo(address: string): Promise<string[]> {
  const { readdir, readFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { default: app } = await import('@adonisjs/core/services/app')
  const folder = app.makePath(process.env.MAIL_OUTBOX_PATH ?? 'tmp/outbox')
  const names = await readdir(folder).catch(() => [] as string[])
  const mails: string[] = []
  for (const name of names.filter((file) => file.endsWith('.eml')).sort()) {
    const raw = await readFile(join(folder, name), 'utf8')
    if (raw.toLowerCase().includes(address.toLowerCase())) mails.push(raw)
  }
  return mails
}

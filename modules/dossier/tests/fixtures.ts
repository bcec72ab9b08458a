import drive from '@adonisjs/drive/services/main'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import FamilyDocument from '#modules/dossier/models/family_document'
import { createFamily, uniqueSuffix } from '#modules/dossier/tests/factories'
import { createUser } from '#tests/helpers/users'

/** A family with an active parent account, a child, an authorized person and one document. */
export async function makeFamily(name = 'Dupont') {
  const suffix = uniqueSuffix()
  const { user, family, guardian, child } = await createFamily({
    lastName: name,
    family: {
      reference: `T-${suffix}`,
      address: '1 rue des Tests',
      postalCode: '06670',
      city: 'Colomars',
      email: `famille-${suffix}@exemple.fr`,
      familyQuotient: 700,
      quotientSource: 'CAF',
    },
    guardians: [
      {
        civility: 'Mme',
        firstName: 'Alice',
        phone: '06 00 00 00 01',
        account: { username: `parent-${suffix}`, email: `parent-${suffix}@exemple.fr`, fullName: `Alice ${name}`, password: 'Un-mot-de-passe-solide-2026' },
      },
    ],
    children: [{ reference: 'E1', firstName: `Enfant${name}`, birthDate: '2017-05-04', sex: 'F', dietNeeds: ['sans gluten'], allergies: 'Kiwi' }],
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

export function makeStaff() {
  return createUser('staff', { fullName: 'Marc Agent' })
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
  const { dataPaths } = await import('#core/project_paths')
  const folder = dataPaths(app.appRoot).outbox
  const names = await readdir(folder).catch(() => [] as string[])
  const mails: string[] = []
  for (const name of names.filter((file) => file.endsWith('.eml')).sort()) {
    const raw = await readFile(join(folder, name), 'utf8')
    if (raw.toLowerCase().includes(address.toLowerCase())) mails.push(raw)
  }
  return mails
}

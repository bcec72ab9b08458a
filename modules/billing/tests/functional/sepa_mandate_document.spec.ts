import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'
import { FamilyDocument } from '#modules/dossier/index'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import { seedMandate } from '#modules/billing/database/seeders/demo'
import { createFamily } from '#modules/billing/tests/factories'
import { pdfText } from '#modules/billing/tests/pdf_text'
import { createUser } from '#tests/helpers/users'
import { useColomars } from '#tests/helpers/commune'

const IBAN = 'FR76 3000 6000 0112 3456 7890 189'
const MASKED = 'FR76 •••• •••• •••• •••• •••• 189'
const valid = { holderName: 'Camille Martin', iban: IBAN, bic: 'BNPAFRPP', consent: 'on' }

function sign(client: ApiClient, parent: User, fields: Record<string, string>) {
  return client.post('/facturation/prelevement').form(fields).withCsrfToken().loginAs(parent).redirects(0)
}

async function download(client: ApiClient, user: User, url: string) {
  const response = await client.get(url).loginAs(user).redirects(0)
  const body = response.status() === 200 ? Buffer.from(response.response.body as any) : Buffer.alloc(0)
  return { response, body }
}

/** Makes the storage refuse every write while `work` runs (a full disk, an S3 outage). */
async function withStorageDown<T>(work: () => Promise<T>): Promise<T> {
  const disk = drive.use()
  const put = disk.put
  disk.put = async () => {
    throw new Error('ENOSPC: no space left on device')
  }
  try {
    return await work()
  } finally {
    disk.put = put
  }
}

test.group('SEPA mandates: the signed mandate as a PDF in the family documents', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('signing files "Mandat SEPA <RUM>" in the family documents: listed, downloaded by the family and by staff, with what was signed', async ({ client, assert }) => {
    await useColomars()
    const { parent, family } = await createFamily()
    ;(await sign(client, parent!, valid)).assertStatus(302)
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    assert.isNotNull(mandate.documentId)
    const document = await FamilyDocument.findOrFail(mandate.documentId)
    assert.equal(document.familyId, family.id)
    assert.equal(document.name, `Mandat SEPA ${mandate.rum}.pdf`)
    assert.equal(document.category, 'mandat_sepa')
    assert.equal(document.mime, 'application/pdf')
    assert.equal(document.origin, 'service')
    assert.equal(document.state, 'accepted')
    assert.match(document.storageKey, new RegExp(`^families/${family.id}/[0-9a-f-]{36}\\.pdf$`))
    const audit = await db.from('audit_logs').where({ subject_type: 'family', subject_id: String(family.id), action: 'billing.sepa_mandate.signed' }).firstOrFail()
    assert.equal(JSON.parse(audit.details).documentId, document.id)

    const list = await client.get('/dossier/documents').loginAs(parent!)
    assert.include(list.text(), `href="/dossier/documents/${document.id}/telecharger">Mandat SEPA ${mandate.rum}.pdf</a>`)
    assert.include(list.text(), 'Mandat de prélèvement SEPA')
    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    assert.include(page.text(), `href="/dossier/documents/${document.id}/telecharger">Mandat SEPA ${mandate.rum} (PDF)</a>`)

    const { response, body } = await download(client, parent!, `/dossier/documents/${document.id}/telecharger`)
    response.assertStatus(200)
    response.assertHeader('content-type', 'application/pdf')
    assert.include(response.header('content-disposition'), `Mandat SEPA ${mandate.rum}.pdf`)
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
    const text = pdfText(body)
    for (const expected of [
      'Mandat de prélèvement SEPA',
      `Référence unique du mandat (RUM) : ${mandate.rum}`,
      'Type de paiement : récurrent',
      'Créancier Nom : Colomars Adresse : 1 place de la Mairie Identifiant créancier SEPA (ICS) : FR72ZZZ123456',
      `Débiteur Titulaire du compte : Camille Martin Adresse : ${family.address}, ${family.postalCode} ${family.city}`,
      `IBAN : ${MASKED}`,
      'BIC : BNPAFRPP',
      'vous autorisez Colomars à envoyer des instructions à votre banque',
      'dans les 8 semaines suivant la date de débit',
      `par ${parent!.fullName}`,
    ]) {
      assert.include(text, expected)
    }
    assert.match(text, /Signé électroniquement le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\)/)
    assert.include(text, mandate.signedAt.setZone('Europe/Paris').toFormat("dd/MM/yyyy 'à' HH:mm"))
    assert.notInclude(text.replace(/\s/g, ''), '30006000011234567890')

    const agent = await createUser('staff')
    const staffCopy = await download(client, agent, `/gestion/familles/${family.id}/documents/${document.id}/telecharger`)
    staffCopy.response.assertStatus(200)
    assert.deepEqual(staffCopy.body, body)
    const staffFile = await client.get(`/gestion/familles/${family.id}`).loginAs(agent)
    assert.include(staffFile.text(), `Mandat SEPA ${mandate.rum}.pdf`)
  })

  test("another family's parent can neither download nor see the mandate document", async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const other = await createFamily({ lastName: 'Autre' })
    await sign(client, parent!, valid)
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    const url = `/dossier/documents/${mandate.documentId}/telecharger`
    ;(await download(client, other.parent!, url)).response.assertStatus(404)
    ;(await download(client, other.parent!, `/gestion/familles/${family.id}/documents/${mandate.documentId}/telecharger`)).response.assertStatus(403)
    const list = await client.get('/dossier/documents').loginAs(other.parent!)
    assert.notInclude(list.text(), mandate.rum)
    const visitor = await client.get(url).redirects(0)
    visitor.assertStatus(302)
    assert.match(visitor.header('location') ?? '', /\/connexion/)
  })

  test('a replaced or revoked mandate keeps its PDF: both documents stay, still downloadable', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    await sign(client, parent!, valid)
    await sign(client, parent!, { holderName: 'Camille Martin', iban: 'DE89 3704 0044 0532 0130 00', consent: 'on' })
    await client.post('/facturation/prelevement/revocation').form({ confirm: 'on' }).withCsrfToken().loginAs(parent!).redirects(0)
    const mandates = await SepaMandate.query().where('family_id', family.id).orderBy('id')
    assert.deepEqual(mandates.map((mandate) => mandate.status), ['replaced', 'revoked'])
    const documents = await FamilyDocument.query().where('family_id', family.id).where('category', 'mandat_sepa').orderBy('id')
    assert.deepEqual(documents.map((document) => document.id), mandates.map((mandate) => mandate.documentId!))
    for (const document of documents) {
      const { response, body } = await download(client, parent!, `/dossier/documents/${document.id}/telecharger`)
      response.assertStatus(200)
      assert.include(pdfText(body), document.name.replace(/^Mandat SEPA (.*)\.pdf$/, 'Référence unique du mandat (RUM) : $1'))
    }
    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    assert.include(page.text(), 'terminé : remplacé le')
    assert.include(page.text(), 'terminé : révoqué le')
    assert.include(page.text(), 'SIGNER LE MANDAT')
  })

  test('the storage refusing the PDF: nothing signed, nothing filed, a French sentence, the input kept; the next try signs', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const refused = await withStorageDown(() => sign(client, parent!, valid))
    refused.assertStatus(302)
    const flash = refused.flashMessages() as any
    assert.match(flash.alert.error, /^La signature n’a pas abouti : le document du mandat n’a pas pu être enregistré\. Aucun mandat n’a été signé/)
    assert.equal(flash.holderName, 'Camille Martin')
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)
    assert.lengthOf(await FamilyDocument.query().where('family_id', family.id), 0)
    assert.lengthOf(await db.from('family_history_entries').where('family_id', family.id).where('module', 'billing'), 0)
    assert.lengthOf(await db.from('audit_logs').where({ subject_type: 'family', subject_id: String(family.id) }), 0)

    ;(await sign(client, parent!, valid)).assertStatus(302)
    const first = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    assert.match(first.rum, /-01$/)
    // Changing account while the storage is down leaves the active mandate as it was.
    await withStorageDown(() => sign(client, parent!, { ...valid, iban: 'DE89 3704 0044 0532 0130 00', bic: '' }))
    const after = await SepaMandate.query().where('family_id', family.id)
    assert.lengthOf(after, 1)
    assert.equal(after[0].status, 'active')
    assert.isNull(after[0].endedAt)
    assert.lengthOf(await FamilyDocument.query().where('family_id', family.id), 1)
  })

  test('the demo seeds a mandate only when the commune has an ICS', async ({ assert }) => {
    const { parent, family } = await createFamily()
    const seeded = { id: family.id, reference: family.reference, userIds: [parent!.id] }
    const ics = process.env.SEPA_CREDITOR_ID
    delete process.env.SEPA_CREDITOR_ID
    try {
      await seedMandate(seeded)
    } finally {
      process.env.SEPA_CREDITOR_ID = ics
    }
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)
    await seedMandate(seeded)
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    assert.isNotNull(mandate.documentId)
  })
})

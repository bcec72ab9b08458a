import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'
import { createFamily, familyWithInvoice } from '#modules/billing/tests/factories'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import { withModulesOff } from '#tests/helpers/modules'

const IBAN_RAW = 'FR7630006000011234567890189'
const OTHER_IBAN_RAW = 'DE89370400440532013000'

function sign(client: ApiClient, parent: User, fields: Record<string, string>) {
  return client.post('/facturation/prelevement').form(fields).withCsrfToken().loginAs(parent).redirects(0)
}

test.group('SEPA mandates and invoices in the family RGPD export', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("the export holds the family's mandates with the IBAN in full, and its invoices; nothing of another family", async ({ client, assert }) => {
    const { parent, family, invoice } = await familyWithInvoice(3)
    const other = await createFamily({ lastName: 'Autre' })
    await sign(client, parent!, { holderName: 'Camille Martin', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'BNPAFRPP', consent: 'on' })
    await sign(client, parent!, { holderName: 'Camille et Sam Martin', iban: 'DE89 3704 0044 0532 0130 00', consent: 'on' })
    await sign(client, other.parent!, { holderName: 'Alex Autre', iban: 'FR14 2004 1010 0505 0001 3M02 606', consent: 'on' })
    const mandates = await SepaMandate.query().where('family_id', family.id).orderBy('id')

    const response = await client.get('/dossier/export.json').loginAs(parent!)
    response.assertStatus(200)
    const billing = response.body().modules.billing
    assert.equal(billing.module, 'Facturation')
    assert.deepEqual(
      billing.sepaMandates.map((mandate: any) => [mandate.rum, mandate.holderName, mandate.iban, mandate.bic, mandate.status, mandate.sequence, mandate.signedBy]),
      [
        [mandates[0].rum, 'Camille Martin', IBAN_RAW, 'BNPAFRPP', 'remplacé', 'FRST', parent!.fullName],
        [mandates[1].rum, 'Camille et Sam Martin', OTHER_IBAN_RAW, null, 'actif', 'FRST', parent!.fullName],
      ]
    )
    assert.equal(billing.sepaMandates[0].signedAt, mandates[0].signedAt.toISO())
    assert.isString(billing.sepaMandates[0].endedAt)
    assert.isNull(billing.sepaMandates[1].endedAt)
    assert.lengthOf(billing.invoices, 1)
    assert.deepInclude(billing.invoices[0], {
      number: invoice.number,
      month: '2026-09',
      issuedOn: '2026-10-02',
      totalEuros: (invoice.totalCents / 100).toFixed(2),
      paidEuros: '0.00',
      payments: [],
      creditNotes: [],
    })
    assert.match(billing.invoices[0].totalEuros, /^\d+\.\d{2}$/)
    // The mandate documents are in the export's document list too.
    assert.deepEqual(
      response.body().documents.filter((document: any) => document.category === 'Mandat de prélèvement SEPA').map((document: any) => document.name),
      mandates.map((mandate) => `Mandat SEPA ${mandate.rum}.pdf`)
    )
    assert.notInclude(JSON.stringify(response.body()), 'FR1420041010050500013M02606')
    assert.notInclude(JSON.stringify(response.body()), 'Alex Autre')

    const otherExport = (await client.get('/dossier/export.json').loginAs(other.parent!)).body()
    assert.deepEqual(otherExport.modules.billing.sepaMandates.map((mandate: any) => mandate.iban), ['FR1420041010050500013M02606'])
    assert.lengthOf(otherExport.modules.billing.invoices, 0)
    assert.notInclude(JSON.stringify(otherExport), IBAN_RAW)
  })

  test('a family billing knows nothing of gets no billing section', async ({ client, assert }) => {
    const { parent } = await createFamily()
    const data = (await client.get('/dossier/export.json').loginAs(parent!)).body()
    assert.deepEqual(data.modules, {})
    assert.isArray(data.children)
  })

  test('with billing switched off, the export has no billing section and the rest as before', async ({ client, assert }) => {
    const { parent } = await familyWithInvoice(2)
    await sign(client, parent!, { holderName: 'Camille Martin', iban: 'FR76 3000 6000 0112 3456 7890 189', consent: 'on' })
    const on = (await client.get('/dossier/export.json').loginAs(parent!)).body()
    assert.lengthOf(on.modules.billing.sepaMandates, 1)
    const off = await withModulesOff(['billing'], async () => (await client.get('/dossier/export.json').loginAs(parent!)).body())
    assert.deepEqual(off.modules, {})
    assert.notInclude(JSON.stringify(off), IBAN_RAW)
    assert.deepEqual(off.family, on.family)
    assert.deepEqual(off.children, on.children)
  })
})

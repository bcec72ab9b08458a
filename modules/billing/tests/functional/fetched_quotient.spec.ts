import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import invoiceService from '#modules/billing/services/invoice_service'
import { fixtureSource } from '#modules/billing/services/billing_source'
import { canteenTariff, createActivity, createFamily } from '#modules/billing/tests/factories'
import { IDENTITIES, useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'
import { submitForm } from '#tests/helpers/requests'

/** The month API Particulier answers for (the current one, in Paris): "2026-12". */
function currentMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).formatToParts(new Date())
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`
}

test.group('Dossier: a fetched QF in billing', (group) => {
  useApiParticulierStandin(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('confirmed, the QF gives the new tariff in the simulator and on the next invoice', async ({ client, assert }) => {
    const canteen = await createActivity('Restauration scolaire')
    await canteenTariff(canteen.id, '2020-01-01')
    const { family, parent, children } = await createFamily({ quotient: 1000 })

    const sent = await submitForm(client, parent!, '/dossier/quotient-familial', { ...IDENTITIES.msa150, consent: 'on' })
    const id = Number(/resultat\/(\d+)/.exec(sent.header('location') ?? '')![1])
    const result = await client.get(`/dossier/quotient-familial/resultat/${id}`).loginAs(parent!)
    const simulatorLink = /href="(\/simulateur-tarifaire\?qf=150[^"]*)"/.exec(result.text())?.[1]
    assert.exists(simulatorLink, 'the result page links the simulator at the fetched QF')
    const simulator = await client.get(simulatorLink!.replace(/&amp;/g, '&'))
    assert.match(simulator.text(), /Restauration scolaire[\s\S]*?0,50\s€<\/strong> le repas/)

    await submitForm(client, parent!, `/dossier/quotient-familial/resultat/${id}/confirmer`, {})
    // The month the QF applies to, billed at once (force: the month need not be over in a test).
    const month = currentMonth()
    const day = `${month}-01`
    await invoiceService.generateMonth(month, fixtureSource([{ familyId: family.id, childId: children[0].id, activityId: canteen.id, day, attendance: 'present', late: false }]), { force: true })
    const invoice = await Invoice.query().where('family_id', family.id).where('month', month).firstOrFail()
    assert.equal(invoice.familyQuotient, 150)
    const line = await InvoiceLine.query().where('invoice_id', invoice.id).firstOrFail()
    assert.equal(line.unitPriceCents, 50)
  })
})

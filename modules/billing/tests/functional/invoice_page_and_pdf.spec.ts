import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { pdfText } from '#modules/billing/tests/pdf_text'
import { createUser } from '#tests/helpers/users'
import { useColomars } from '#tests/helpers/commune'

/** Text without tags, entities of the page read back, every kind of space as one space. */
function pageText(html: string) {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
}
const spaced = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ')

test.group('FACTURATION — the invoice page says what the PDF says', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('parent and staff pages: the family and its address, the quotient used, the PayFiP reference, the lines and totals', async ({ client, assert }) => {
    await useColomars()
    const { parent, invoice } = await familyWithInvoice(3, { quotient: 1050 })
    const pdf = spaced(pdfText(await invoicePdf(invoice)))
    const refdet = `F${invoice.number.replace(/[^A-Za-z0-9]/g, '')}`
    // What the PDF shows (checked on the PDF first), to be found on both pages.
    const facts = [
      `Facture n° ${invoice.number}`,
      'septembre 2026',
      '02/10/2026',
      '31/10/2026',
      'Quotient familial retenu',
      '1 050 €',
      invoice.familyName,
      '1 rue des Écoles',
      '06670 Colomars',
      refdet,
      'Lya : 3 repas',
      '3,05 €',
      '9,15 €',
      'Total de la facture',
      'Reste à payer',
      'Colomars',
      'Service Enfance-Jeunesse',
      '04 93 00 00 01',
    ]
    for (const fact of facts) assert.include(pdf, fact, `the PDF shows "${fact}"`)

    const parentPage = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    parentPage.assertStatus(200)
    const agent = await createUser('staff')
    const staffPage = await client.get(`/gestion/facturation/factures/${invoice.id}`).loginAs(agent)
    staffPage.assertStatus(200)
    for (const [who, page] of [['parent', parentPage], ['staff', staffPage]] as const) {
      const text = pageText(page.text())
      for (const fact of facts) assert.include(text, fact, `the ${who} page shows "${fact}"`)
      assert.include(text, 'Quotient familial retenu 1 050 €')
      assert.include(text, `Référence PayFiP ${refdet}`)
      assert.include(text, `Facturée à ${invoice.familyName}, 1 rue des Écoles, 06670 Colomars`)
    }
    assert.include(pageText(parentPage.text()), `PayFiP de la Direction générale des Finances publiques (référence ${refdet})`)
  })

  test('an unknown quotient is worded alike; a paid invoice says so on the page as on the PDF', async ({ client, assert }) => {
    const { parent, invoice } = await familyWithInvoice(2)
    await Invoice.query().where('id', invoice.id).update({ familyQuotient: null })
    const agent = await createUser('staff')
    await invoiceService.recordManualPayment(invoice.id, { method: 'cash', amountCents: invoice.totalCents, receiptNumber: 'R-9', paidOn: '2026-10-05' }, agent)
    const paid = await Invoice.findOrFail(invoice.id)
    const pdf = spaced(pdfText(await invoicePdf(paid)))
    assert.include(pdf, 'Quotient familial retenu : non connu (tarif le plus haut)')
    assert.include(pdf, 'Cette facture est réglée. Merci.')
    const page = pageText((await client.get(`/facturation/${invoice.id}`).loginAs(parent!)).text())
    assert.include(page, 'Quotient familial retenu non connu (tarif le plus haut)')
    assert.include(page, 'Cette facture est réglée. Merci.')
    assert.notInclude(page, 'Payer en ligne')
    assert.notInclude(pdf, 'PayFiP')
    assert.notInclude(page, 'Référence PayFiP', 'no PayFiP reference for a paid invoice, as on its PDF')
    const staff = pageText((await client.get(`/gestion/facturation/factures/${invoice.id}`).loginAs(agent)).text())
    assert.include(staff, 'Quotient familial retenu non connu (tarif le plus haut)')
    assert.include(staff, `Référence PayFiP F${invoice.number.replace(/[^A-Za-z0-9]/g, '')}`, 'staff always see it, to match PayFiP')
  })
})

// Billing and messaging together: the pre-notification reaches the family through messaging (a cross-module test).
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import PaymentOperation from '#modules/billing/models/payment_operation'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { familyNotices, payfipLink } from '#modules/billing/tests/fixtures'
import { pdfText } from '#modules/billing/tests/pdf_text'
import { createUser } from '#tests/helpers/users'
import { seedCatalog } from '#modules/messaging/tests/factories'
import mailQueue from '#services/mail_queue'

const MASKED = 'FR76 •••• •••• •••• •••• •••• 189'

test.group('SEPA pre-notification: invoices under direct debit', (group) => {
  const payfip = usePayfipSimulator(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => payfip.simulator.operations.clear())

  test('an invoice issued under an active mandate keeps it with its debit day, at least 14 days after issue', async ({ assert }) => {
    const { invoice, family } = await familyWithInvoice(4, { mandate: {} })
    const mandate = await mandateService.activeFor(family.id)
    assert.equal(invoice.debitMandateId, mandate!.id)
    // Issued on 2 October: the 10th of October is 8 days away, too soon; the 10th of November.
    assert.equal(invoice.debitOn, '2026-11-10')
    assert.equal(invoice.dueDate, '2026-11-10', 'not late before its debit (usually due on 31 October)')

    const late = await familyWithInvoice(2, { mandate: {}, issuedOn: '2026-10-27' })
    assert.equal(late.invoice.debitOn, '2026-11-10', 'the 27th + 14 days = 10 November, still in time')
    const later = await familyWithInvoice(2, { mandate: {}, issuedOn: '2026-10-28' })
    assert.equal(later.invoice.debitOn, '2026-12-10')

    const plain = await familyWithInvoice(2)
    assert.isNull(plain.invoice.debitMandateId)
    assert.isNull(plain.invoice.debitOn)
    assert.equal(plain.invoice.dueDate, '2026-10-31')
  })

  test('the parent reads the debit date and amount on the invoice, its PDF, its inbox and mail; staff see it too', async ({ client, assert }) => {
    await seedCatalog()
    const { messages } = mail.fake()
    const { invoice, family, parent } = await familyWithInvoice(4, { mandate: {} })
    const sentence = `Cette facture sera prélevée le 10/11/2026 : 12,20\u00a0€ sur le compte ${MASKED}`
    const page = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    page.assertStatus(200)
    assert.include(page.text(), sentence)
    // As on the PDF: nothing to do, and no PayFiP reference.
    assert.include(page.text(), 'Vous n’avez rien à faire : le montant sera prélevé sur votre compte à cette date.')
    assert.notInclude(page.text(), 'Référence PayFiP')
    assert.notInclude(page.text(), 'Payer en ligne')
    assert.notInclude(page.text(), 'PAYER 12,20')

    const list = await client.get('/facturation').loginAs(parent!)
    assert.include(list.text(), '— prélevée le 10/11/2026')
    assert.notInclude(list.text(), `Payer<span class="visually-hidden"> la facture n° ${invoice.number}`)

    const pdf = pdfText(await invoicePdf(invoice))
    assert.include(pdf, 'Cette facture sera prélevée le 10/11/2026 : 12,20 € sur le compte FR76 ••••')
    assert.notInclude(pdf, 'PayFiP')

    const [notice] = await familyNotices(family.id)
    assert.equal(notice.subject, `Nouvelle facture n° ${invoice.number}`)
    assert.include(notice.body, 'Elle sera prélevée le 10 novembre 2026 : 12,20\u00a0€')
    assert.notInclude(notice.body, 'à régler avant')
    await mailQueue.drain()
    const mails = messages.sent((message) => message.hasTo(parent!.email!))
    assert.lengthOf(mails, 1)
    assert.include(JSON.stringify(mails[0].toJSON()), 'Elle sera prélevée le 10 novembre 2026')
    mail.restore()
    const history = await db.from('family_history_entries').where('family_id', family.id).where('kind', 'invoice-issued').firstOrFail()
    assert.include(history.text, 'prélevée le 10/11/2026')

    const agent = await createUser('staff')
    const staffPage = await client.get(`/gestion/facturation/factures/${invoice.id}`).loginAs(agent)
    staffPage.assertStatus(200)
    assert.include(staffPage.text(), sentence)
  })

  test('PayFiP is refused for an invoice under debit, in French, twice the same; other invoices still go to PayFiP', async ({ client, assert }) => {
    const { invoice, parent } = await familyWithInvoice(4, { mandate: {} })
    const send = () => client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(parent!).redirects(0)
    const [first, second] = await Promise.all([send(), send()])
    for (const response of [first, second]) {
      response.assertStatus(302)
      assert.equal(response.header('location'), `/facturation/${invoice.id}`)
      assert.equal(
        (response.flashMessages() as any).alert.error,
        'Cette facture sera prélevée le 10/11/2026 (prélèvement automatique) : elle ne peut pas aussi être payée en ligne. Pour la payer autrement, révoquez d\'abord votre mandat de prélèvement.'
      )
    }
    assert.lengthOf(await PaymentOperation.query().where('invoice_id', invoice.id), 0)
    assert.equal(payfip.simulator.operations.size, 0)

    const other = await familyWithInvoice(2, { lastName: 'Autre' })
    const pay = await client.post(`/facturation/${other.invoice.id}/payer`).withCsrfToken().loginAs(other.parent!).redirects(0)
    pay.assertStatus(200)
    assert.match(payfipLink(pay.text()), /idop=/)
  })

  test('a mandate revoked before the debit file: the invoice is paid online again; a new mandate takes over', async ({ client, assert }) => {
    const { invoice, family, parent } = await familyWithInvoice(4, { mandate: {} })
    const user = { id: parent!.id, fullName: parent!.fullName }
    await mandateService.sign(family, user, { holderName: 'Camille Martin', iban: 'DE89370400440532013000', bic: null })
    const replaced = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.include(replaced.text(), 'Cette facture sera prélevée le 10/11/2026 : 12,20\u00a0€ sur le compte DE89')

    await mandateService.revoke(family, user)
    const page = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.notInclude(page.text(), 'sera prélevée')
    assert.include(page.text(), 'PAYER 12,20')
    const pay = await client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(parent!).redirects(0)
    pay.assertStatus(200)
  })
})

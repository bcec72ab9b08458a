import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Invoice from '#modules/billing/models/invoice'
import Payment from '#modules/billing/models/payment'
import PaymentOperation from '#modules/billing/models/payment_operation'
import invoiceService from '#modules/billing/services/invoice_service'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { payfipLink } from '#modules/billing/tests/fixtures'
import { createUser } from '#tests/helpers/users'

test.group('FACTURATION for parents', (group) => {
  const payfip = usePayfipSimulator(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  // Numbers (and so refdet) start again after each rollback: forget the previous test's operations.
  group.each.setup(() => payfip.simulator.operations.clear())

  test('the menu, the home tile summary and the list with states in words', async ({ client, assert }) => {
    const { parent, invoice } = await familyWithInvoice(4)
    const home = await client.get('/accueil').loginAs(parent!)
    assert.include(home.text(), '>FACTURATION</a>')
    assert.include(home.text(), 'Paiement')
    assert.match(home.text(), /1 facture à payer \(12,20\s€\)/)

    const list = await client.get('/facturation').loginAs(parent!)
    list.assertStatus(200)
    assert.include(list.text(), `Facture n° ${invoice.number}`)
    assert.include(list.text(), 'septembre 2026')
    assert.match(list.text(), /badge--(to_pay|late)">(à payer|en retard)</)
    assert.include(list.text(), '31/10/2026')
  })

  test("billing's card in the dossier's history page (a slot the dossier offers, billing fills)", async ({ client, assert }) => {
    const { parent, family } = await familyWithInvoice(4)
    const history = await client.get('/dossier/demarches').loginAs(parent!)
    history.assertStatus(200)
    assert.match(history.text(), /<h2 id="complement-0">Factures en attente<\/h2>\s*<p>1 facture à payer \(12,20\s€\)<\/p>/)
    const invoice = await Invoice.query().where('family_id', family.id).firstOrFail()
    const agent = await createUser('staff')
    await invoiceService.recordManualPayment(invoice.id, { method: 'cash', amountCents: invoice.totalCents, receiptNumber: 'R-2', paidOn: '2026-10-05' }, agent)
    const paid = await client.get('/dossier/demarches').loginAs(parent!)
    assert.include(paid.text(), '<p>Aucune facture à payer</p>')
  })

  test('the summary says when nothing is left to pay; two invoices are summed', async ({ client, assert }) => {
    const { parent, family } = await familyWithInvoice(2)
    const invoice = await Invoice.query().where('family_id', family.id).firstOrFail()
    const agent = await createUser('staff')
    await invoiceService.recordManualPayment(invoice.id, { method: 'cash', amountCents: 610, receiptNumber: 'R-1', paidOn: '2026-10-05' }, agent)
    const home = await client.get('/accueil').loginAs(parent!)
    assert.include(home.text(), 'Factures en attente : aucune facture à payer')
    const list = await client.get('/facturation').loginAs(parent!)
    assert.include(list.text(), 'badge--paid">payée<')
    assert.include(list.text(), 'Espèces')
  })

  test('invoice detail and a clean PDF; another family gets a 404, an agent a 403', async ({ client, assert }) => {
    const { parent, invoice } = await familyWithInvoice(3)
    const other = await familyWithInvoice(1, { lastName: 'Autre' })
    const page = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    page.assertStatus(200)
    assert.match(page.text(), /Cantine [^<]* — Lya : 3 repas/)
    assert.match(page.text(), /9,15\s€/)
    const pdf = await client.get(`/facturation/${invoice.id}/pdf`).loginAs(parent!)
    pdf.assertStatus(200)
    pdf.assertHeader('content-type', 'application/pdf')
    const bytes = Buffer.from(pdf.response.body ?? (pdf as any).response.text, 'binary')
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')

    for (const url of [`/facturation/${invoice.id}`, `/facturation/${invoice.id}/pdf`]) {
      ;(await client.get(url).loginAs(other.parent!)).assertStatus(404)
    }
    const pay = await client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(other.parent!).redirects(0)
    pay.assertStatus(404)
    const agent = await createUser('staff')
    ;(await client.get(`/facturation/${invoice.id}`).loginAs(agent)).assertStatus(403)
    ;(await client.get('/facturation')).assertStatus(200) // redirected to login, then the login page
  })

  test('a parent pays through PayFiP (simulator): redirect with idop, notification, return, paid', async ({ client, assert }) => {
    const { parent, invoice } = await familyWithInvoice(4)
    const pay = await client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(parent!).redirects(0)
    pay.assertStatus(200)
    const location = payfipLink(pay.text())
    assert.include(pay.text(), `<meta http-equiv="refresh" content="0;url=${location}">`)
    assert.match(location, new RegExp(`^${payfip.simulator.url}/tpa/paiementws\\.web\\?idop=[a-f0-9]{32}$`))
    const idOp = new URL(location).searchParams.get('idop')!
    const operation = payfip.simulator.operations.get(idOp)!
    assert.equal(operation.fields.montant, '1220')
    assert.equal(operation.fields.refdet, `F${invoice.number.replace('-', '')}`)
    assert.equal(operation.fields.numcli, '123456')
    assert.match(operation.fields.urlnotif, /\/facturation\/paiement\/notification$/)

    // The payment page works without JavaScript: a plain form POST.
    const pageHtml = await (await fetch(location)).text()
    assert.include(pageHtml, '<form method="post" action="/tpa/paiementws.web">')
    const decided = await fetch(`${payfip.simulator.url}/tpa/paiementws.web`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ idop: idOp, resultat: 'P' }).toString(),
      redirect: 'manual',
    })
    assert.equal(decided.status, 303)
    const back = new URL(decided.headers.get('location')!)
    assert.equal(back.pathname, '/facturation/paiement/retour')

    const fresh = await Invoice.findOrFail(invoice.id)
    assert.equal(fresh.status, 'paid')
    assert.equal(fresh.paidCents, 1220)
    const returned = await client.get(`${back.pathname}${back.search}`).loginAs(parent!).redirects(0)
    returned.assertStatus(302)
    assert.equal(returned.header('location'), `/facturation/${invoice.id}`)
    const payments = await Payment.query().where('invoice_id', invoice.id)
    assert.lengthOf(payments, 1)
    assert.equal(payments[0].method, 'card')
    const page = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.include(page.text(), 'badge--paid">payée<')
    assert.notInclude(page.text(), 'Payer en ligne')
  })

  test('refused and abandoned payments leave the invoice to pay', async ({ client, assert }) => {
    for (const code of ['R', 'Z', 'A'] as const) {
      const { parent, invoice } = await familyWithInvoice(2, { lastName: `Refus${code}` })
      const pay = await client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(parent!).redirects(0)
      const idOp = new URL(payfipLink(pay.text())).searchParams.get('idop')!
      const { redirect } = await payfip.simulator.decide(idOp, code)
      const back = new URL(redirect)
      const returned = await client.get(`${back.pathname}${back.search}`).loginAs(parent!)
      assert.include(returned.text(), code === 'A' ? 'Le paiement a été abandonné' : 'Le paiement a été refusé')
      const fresh = await Invoice.findOrFail(invoice.id)
      assert.equal(fresh.status, 'open')
      assert.equal(fresh.paidCents, 0)
      assert.equal(fresh.balanceCents, 610)
      assert.equal((await PaymentOperation.findByOrFail('id_op', idOp)).state, code === 'A' ? 'abandoned' : 'refused')
      assert.lengthOf(await Payment.query().where('invoice_id', invoice.id), 0)
      assert.include(returned.text(), 'Payer en ligne')
    }
  })

  test("another family's return address is a 404; a notification before the result settles nothing", async ({ client, assert }) => {
    const { parent, invoice } = await familyWithInvoice(2)
    const other = await familyWithInvoice(1, { lastName: 'Voisin' })
    const pay = await client.post(`/facturation/${invoice.id}/payer`).withCsrfToken().loginAs(parent!).redirects(0)
    const idOp = new URL(payfipLink(pay.text())).searchParams.get('idop')!
    ;(await client.get(`/facturation/paiement/retour?idop=${idOp}`).loginAs(other.parent!)).assertStatus(404)
    const early = await client.post('/facturation/paiement/notification').form({ idOp })
    early.assertStatus(200)
    assert.equal(early.text(), 'pending')
    assert.equal((await Invoice.findOrFail(invoice.id)).paidCents, 0)
    ;(await client.post('/facturation/paiement/notification').form({ idOp: 'inconnu' })).assertStatus(404)
  })
})

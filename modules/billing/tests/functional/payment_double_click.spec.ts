import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Invoice from '#modules/billing/models/invoice'
import Overpayment from '#modules/billing/models/overpayment'
import Payment from '#modules/billing/models/payment'
import PaymentOperation from '#modules/billing/models/payment_operation'
import invoiceService from '#modules/billing/services/invoice_service'
import paymentService from '#modules/billing/services/payment/payment_service'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { committedFixtures, payfipLink } from '#modules/billing/tests/fixtures'
import { CookieAgent } from '#modules/accounts/tests/helpers'
import { createUser } from '#tests/helpers/users'

/*
 * Committed rows, no global transaction: the clicks and notifications reach the database
 * concurrently, as in production (several connections on PostgreSQL).
 */
const committed = committedFixtures()
const { created, familyWithInvoice } = committed

async function agent() {
  const user = await createUser('staff')
  created.userIds.push(user.id)
  return user
}

function notify(idOp: string) {
  return fetch(`http://127.0.0.1:${process.env.PORT}/facturation/paiement/notification`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idOp }).toString(),
  }).then((response) => response.text())
}

/** A second operation opened after the first one went stale: both can then be paid at PayFiP. */
async function twoOperations(fixture: Awaited<ReturnType<typeof familyWithInvoice>>) {
  const first = await paymentService.start(fixture.invoice, fixture.parent!, null)
  await PaymentOperation.query().where('id', first.operation.id).update({ expires_at: DateTime.utc().plus({ minutes: 1 }).toFormat(db.connection().dialect.dateTimeFormat) })
  const second = await paymentService.start(fixture.invoice, fixture.parent!, null)
  return [first.operation.idOp!, second.operation.idOp!]
}

test.group('PAYER clicked twice: one live operation, no payment counted twice', (group) => {
  group.teardown(() => committed.remove())
  const payfip = usePayfipSimulator(group, { notify: false })

  test('10 concurrent PAYER from one parent session open ONE PayFiP operation and all land on its page', async ({ assert }) => {
    const { invoice, parent } = await familyWithInvoice(4, { lastName: 'Clic' })
    const browser = new CookieAgent()
    const login = await browser.post('/connexion', { username: parent!.username, password: 'Un-Mot-De-Passe-Solide-2026' })
    assert.equal(login.status, 302)
    const page = await browser.get(`/facturation/${invoice.id}`)
    assert.equal(page.status, 200)
    const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)![1]
    const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join('; ')

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${browser.base}/facturation/${invoice.id}/payer`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf }).toString(),
          redirect: 'manual',
        }).then(async (response) => ({ status: response.status, text: await response.text() }))
      )
    )
    assert.deepEqual(
      responses.map((response) => response.status),
      Array(10).fill(200)
    )
    const links = new Set(responses.map((response) => payfipLink(response.text)))
    assert.equal(links.size, 1, 'every click is sent to the same PayFiP page')
    const operations = await PaymentOperation.query().where('invoice_id', invoice.id)
    assert.lengthOf(operations, 1)
    assert.equal(operations[0].state, 'pending')
    assert.equal(new URL([...links][0]).searchParams.get('idop'), operations[0].idOp)
    const refdet = operations[0].refdet
    assert.lengthOf([...payfip.simulator.operations.values()].filter((operation) => operation.fields.refdet === refdet), 1)
  })

  test('the database refuses a second live operation for an invoice', async ({ assert }) => {
    const { invoice, family } = await familyWithInvoice(2, { lastName: 'Index' })
    const row = {
      invoice_id: invoice.id,
      family_id: family.id,
      provider: 'payfip',
      refdet: 'F1',
      amount_cents: 610,
      state: 'pending',
      expires_at: DateTime.utc().plus({ minutes: 15 }).toFormat(db.connection().dialect.dateTimeFormat),
      created_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat),
    }
    await db.table('payment_operations').insert(row)
    await assert.rejects(() => db.table('payment_operations').insert(row))
    await db.table('payment_operations').insert({ ...row, state: 'expired' })
  })

  test('an operation about to expire does not block a new attempt: it is read again, closed, and a new one opened', async ({ assert }) => {
    const fixture = await familyWithInvoice(2, { lastName: 'Expire' })
    const [first, second] = await twoOperations(fixture)
    assert.notEqual(first, second)
    assert.equal((await PaymentOperation.findByOrFail('id_op', first)).state, 'expired')
    assert.equal((await PaymentOperation.findByOrFail('id_op', second)).state, 'pending')
    // Creation lost (no idOp, long ago): it no longer blocks either.
    await PaymentOperation.query().where('id_op', second).update({ id_op: null, created_at: DateTime.utc().minus({ minutes: 5 }).toFormat(db.connection().dialect.dateTimeFormat) })
    const third = await paymentService.start(fixture.invoice, fixture.parent!, null)
    assert.lengthOf(await PaymentOperation.query().where('invoice_id', fixture.invoice.id).where('state', 'pending'), 1)
    assert.equal((await PaymentOperation.query().where('invoice_id', fixture.invoice.id).where('state', 'pending').firstOrFail()).idOp, third.operation.idOp)
  })

  test('two operations both paid, notified concurrently: one payment counted, the other an overpayment; the staff refunds it', async ({ assert, client }) => {
    const fixture = await familyWithInvoice(4, { lastName: 'Deux' })
    const idOps = await twoOperations(fixture)
    for (const idOp of idOps) await payfip.simulator.decide(idOp, 'P')
    const outcomes = await Promise.all([...idOps, ...idOps, ...idOps, ...idOps, ...idOps].map(notify))
    assert.equal(outcomes.filter((outcome) => outcome === 'paid').length, 2)
    assert.equal(outcomes.filter((outcome) => outcome === 'already-settled').length, 8)

    const invoice = await Invoice.findOrFail(fixture.invoice.id)
    assert.equal(invoice.paidCents, 1220)
    assert.equal(invoice.status, 'paid')
    assert.equal(invoice.balanceCents, 0)
    const payments = await Payment.query().where('invoice_id', invoice.id)
    const overpayments = await Overpayment.query().where('invoice_id', invoice.id)
    assert.deepEqual(
      payments.map((payment) => payment.amountCents),
      [1220]
    )
    assert.deepEqual(
      overpayments.map((overpayment) => overpayment.amountCents),
      [1220]
    )
    assert.sameMembers([payments[0].idOp, overpayments[0].idOp], idOps)
    assert.lengthOf(await db.from('family_history_entries').where('family_id', fixture.family.id).where('kind', 'overpayment'), 1)

    const parentPage = await client.get(`/facturation/${invoice.id}`).loginAs(fixture.parent!)
    assert.match(parentPage.text(), /Trop-perçu de 12,20\s€ reçu le [^<]*: cette somme ne compte pas dans vos paiements, le service vous la rembourse\./)

    // The staff sees it on the invoice page and in the billing list, and marks it refunded.
    const staff = await agent()
    const page = await client.get(`/gestion/facturation/factures/${invoice.id}`).loginAs(staff)
    page.assertStatus(200)
    assert.include(page.text(), 'Trop-perçus')
    assert.include(page.text(), 'badge--late">à rembourser<')
    assert.include(page.text(), overpayments[0].idOp!)
    const list = await client.get('/gestion/facturation?month=2026-09').loginAs(staff)
    assert.match(list.text(), /trop-perçus? à rembourser/)
    assert.include(list.text(), `/gestion/facturation/factures/${invoice.id}#trop-percus`)

    const url = `/gestion/facturation/trop-percus/${overpayments[0].id}/rembourse`
    const tooLong = await client.post(url).form({ reference: 'x'.repeat(101) }).withCsrfToken().loginAs(staff).redirects(0)
    tooLong.assertStatus(302)
    assert.property((tooLong.flashMessages() as any).inputErrorsBag, 'reference')
    assert.isNull((await Overpayment.findOrFail(overpayments[0].id)).refundedAt)
    ;(await client.post(url).form({ reference: 'VIR-2026-11' }).loginAs(staff).redirects(0)).assertStatus(419)
    assert.isNull((await Overpayment.findOrFail(overpayments[0].id)).refundedAt)

    const refunded = await client.post(url).form({ reference: 'VIR-2026-11' }).withCsrfToken().loginAs(staff).redirects(0)
    refunded.assertStatus(302)
    assert.match((refunded.flashMessages() as any).alert.success, /^Trop-perçu de 12,20\s€ marqué remboursé\.$/)
    const again = await client.post(url).form({}).withCsrfToken().loginAs(staff).redirects(0)
    assert.equal((again.flashMessages() as any).alert.info, 'Ce trop-perçu est déjà marqué remboursé.')
    const fresh = await Overpayment.findOrFail(overpayments[0].id)
    assert.isNotNull(fresh.refundedAt)
    assert.equal(fresh.refundReference, 'VIR-2026-11')
    assert.equal(fresh.refundedBy, staff.id)
    assert.lengthOf(await db.from('audit_logs').where({ action: 'billing.overpayment.refunded', subject_id: String(invoice.id) }), 1)
    assert.include((await client.get(`/gestion/facturation/factures/${invoice.id}`).loginAs(staff)).text(), 'remboursé le')
    assert.equal((await Invoice.findOrFail(invoice.id)).paidCents, 1220)
    assert.match((await client.get(`/facturation/${invoice.id}`).loginAs(fixture.parent!)).text(), /Trop-perçu de 12,20\s€ [^<]*: remboursé le /)
  })

  test('a payment made on a closed operation whose notification never came is found by the reconciliation', async ({ assert }) => {
    const fixture = await familyWithInvoice(2, { lastName: 'Tardif' })
    const [closed, live] = await twoOperations(fixture)
    await payfip.simulator.decide(closed, 'P')
    const result = await paymentService.reconcile(0)
    assert.isAtLeast(result.counts.paid, 1)
    const invoice = await Invoice.findOrFail(fixture.invoice.id)
    assert.equal(invoice.status, 'paid')
    assert.deepEqual(
      (await Payment.query().where('invoice_id', invoice.id)).map((payment) => [payment.idOp, payment.amountCents]),
      [[closed, 610]]
    )
    // The live one, paid afterwards, is an overpayment.
    await payfip.simulator.decide(live, 'P')
    assert.equal((await paymentService.settle(live)).outcome, 'paid')
    assert.deepEqual(
      (await Overpayment.query().where('invoice_id', invoice.id)).map((overpayment) => [overpayment.idOp, overpayment.amountCents]),
      [[live, 610]]
    )
    assert.equal((await Invoice.findOrFail(invoice.id)).paidCents, 610)
  })

  test('a PayFiP payment above what is left (a counter payment came first) counts the balance, the rest is to refund', async ({ assert, client }) => {
    const fixture = await familyWithInvoice(4, { lastName: 'Guichet' })
    const { operation } = await paymentService.start(fixture.invoice, fixture.parent!, null)
    const staff = await agent()
    await invoiceService.recordManualPayment(fixture.invoice.id, { method: 'cash', amountCents: 500, receiptNumber: `R-${fixture.family.id}`, paidOn: '2026-10-05' }, staff)
    await payfip.simulator.decide(operation.idOp!, 'V')
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => notify(operation.idOp!)))
    assert.sameMembers(outcomes, ['paid', 'already-settled', 'already-settled', 'already-settled', 'already-settled'])
    const invoice = await Invoice.findOrFail(fixture.invoice.id)
    assert.equal(invoice.paidCents, 1220)
    assert.equal(invoice.status, 'paid')
    const online = await Payment.query().where('invoice_id', invoice.id).where('method', 'debit')
    assert.deepEqual(
      online.map((payment) => payment.amountCents),
      [720]
    )
    const overpayments = await Overpayment.query().where('invoice_id', invoice.id)
    assert.deepEqual(
      overpayments.map((overpayment) => [overpayment.amountCents, overpayment.idOp, overpayment.method]),
      [[500, operation.idOp, 'debit']]
    )
    const back = await client.get(`/facturation/paiement/retour?idop=${operation.idOp}`).loginAs(fixture.parent!).redirects(0)
    assert.match((back.flashMessages() as any).alert.warning, /^Cette facture était déjà réglée : le trop-perçu de 5,00\s€ vous sera remboursé par le service\.$/)
  })
})

import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Invoice from '#modules/billing/models/invoice'
import Payment from '#modules/billing/models/payment'
import PaymentOperation from '#modules/billing/models/payment_operation'
import { HistoryEntry } from '#modules/dossier/index'
import paymentService from '#modules/billing/services/payment/payment_service'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { spawn } from 'node:child_process'
import { APP_ROOT } from '#tests/helpers/processes'

/** `node ace ...` without blocking this process (the in-process simulator must keep answering). */
function runAce(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['ace', ...args], { cwd: APP_ROOT, env: { ...process.env, NODE_ENV: 'test', ...env } })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (status) => resolve({ status, output }))
  })
}

/*
 * No global transaction here: the notifications must reach the database concurrently, as
 * they do in production (several connections on PostgreSQL). Each test uses its own family.
 */
const committed = committedFixtures()
const { familyWithInvoice } = committed

test.group('PayFiP notifications: idempotent settlement', (group) => {
  group.teardown(() => committed.remove())
  // The simulator does not notify: the tests send the notifications themselves.
  const payfip = usePayfipSimulator(group, { notify: false })

  const appUrl = () => `http://127.0.0.1:${process.env.PORT}`

  async function paidOperation(code: 'P' | 'V' = 'P', lastName = 'Orage') {
    const fixture = await familyWithInvoice(5, { lastName })
    const { operation } = await paymentService.start(fixture.invoice, fixture.parent!, null)
    await payfip.simulator.decide(operation.idOp!, code)
    return { ...fixture, idOp: operation.idOp! }
  }

  test('10 concurrent notifications record ONE payment and settle the invoice once ({$self})')
    .with(['P', 'V'] as const)
    .run(async ({ assert }, code) => {
      const { invoice, idOp, family } = await paidOperation(code, `Orage${code}`)
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${appUrl()}/facturation/paiement/notification`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ idOp }).toString(),
          }).then(async (response) => ({ status: response.status, text: await response.text() }))
        )
      )
      assert.deepEqual([...new Set(responses.map((response) => response.status))], [200])
      assert.equal(responses.filter((response) => response.text === 'paid').length, 1)
      assert.equal(responses.filter((response) => response.text === 'already-settled').length, 9)

      const payments = await Payment.query().where('invoice_id', invoice.id)
      assert.lengthOf(payments, 1)
      assert.equal(payments[0].amountCents, 1525)
      assert.equal(payments[0].idOp, idOp)
      assert.equal(payments[0].method, code === 'P' ? 'card' : 'debit')
      const fresh = await Invoice.findOrFail(invoice.id)
      assert.equal(fresh.paidCents, 1525)
      assert.equal(fresh.status, 'paid')
      assert.equal((await PaymentOperation.findByOrFail('id_op', idOp)).state, 'paid')
      const lines = await HistoryEntry.query().where('family_id', family.id).where('kind', 'payment')
      assert.lengthOf(lines, 1)
    })

  test('the unique key on idOp refuses a second payment row even if the state check were bypassed', async ({ assert }) => {
    const { invoice, idOp, family } = await paidOperation('P', 'Cle')
    await paymentService.settle(idOp)
    await assert.rejects(() =>
      db.table('payments').insert({
        invoice_id: invoice.id,
        family_id: family.id,
        method: 'card',
        amount_cents: 1525,
        id_op: idOp,
        paid_on: '2026-10-05',
        created_at: new Date().toISOString(),
      })
    )
  })

  test('billing:reconcile-payments settles an operation whose notification never came', async ({ assert }) => {
    const { invoice, idOp } = await paidOperation('P', 'Silence')
    const refused = await familyWithInvoice(2, { lastName: 'SilenceRefus' })
    const { operation } = await paymentService.start(refused.invoice, refused.parent!, null)
    await payfip.simulator.decide(operation.idOp!, 'R')
    const waiting = await familyWithInvoice(1, { lastName: 'SilenceAttente' })
    const pending = await paymentService.start(waiting.invoice, waiting.parent!, null)

    const result = await runAce(['billing:reconcile-payments', '--older-than', '0'], { PAYFIP_URL: payfip.simulator.url, PAYFIP_NUMCLI: '123456' })
    assert.equal(result.status, 0, result.output)
    assert.match(result.output, /: 1 payée,/)
    assert.match(result.output, /, 1 refusée,/)
    assert.match(result.output, /1 encore en cours/)

    assert.equal((await Invoice.findOrFail(invoice.id)).status, 'paid')
    assert.lengthOf(await Payment.query().where('id_op', idOp), 1)
    assert.equal((await Invoice.findOrFail(refused.invoice.id)).status, 'open')
    assert.equal((await PaymentOperation.findOrFail(pending.operation.id)).state, 'pending')

    // A second pass changes nothing.
    const again = await runAce(['billing:reconcile-payments', '--older-than', '0'], { PAYFIP_URL: payfip.simulator.url, PAYFIP_NUMCLI: '123456' })
    assert.match(again.output, /: 0 payée,/)
    assert.lengthOf(await Payment.query().where('invoice_id', invoice.id), 1)
  })

  test('a payment never settles an invoice twice: a late PayFiP success after a counter payment is recorded, not doubled', async ({ assert }) => {
    const fixture = await familyWithInvoice(2, { lastName: 'Double' })
    const { operation } = await paymentService.start(fixture.invoice, fixture.parent!, null)
    await payfip.simulator.decide(operation.idOp!, 'P')
    await Promise.all([paymentService.settle(operation.idOp!), paymentService.settle(operation.idOp!), paymentService.settle(operation.idOp!)])
    const fresh = await Invoice.findOrFail(fixture.invoice.id)
    assert.equal(fresh.paidCents, 610)
    assert.lengthOf(await Payment.query().where('invoice_id', fixture.invoice.id), 1)
  })
})

import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import debitCollectionService from '#modules/billing/services/sepa/debit_collection'
import debitReturnService from '#modules/billing/services/sepa/debit_return_service'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { pain002 } from '#modules/billing/tests/pain002_fixture'
import { pdfText } from '#modules/billing/tests/pdf_text'
import { createUser } from '#tests/helpers/users'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
const frDay = (iso: string) => DateTime.fromISO(iso).toFormat('dd/MM/yyyy')

async function sentDebit(lastName: string) {
  const fixture = await familyWithInvoice(4, { mandate: {}, lastName })
  const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
  return { ...fixture, batch, endToEndId: `FAC-${fixture.invoice.number}` }
}

function rejectReport(batch: { message_id: string }, endToEndId: string, reason = 'AM04') {
  return pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId, reason }] }] })
}

test.group('SEPA debits become payments on their collection day', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('nothing is paid before the collection day; on it the invoice is paid « Prélèvement automatique », once', async ({ assert }) => {
    const { invoice, batch, endToEndId } = await sentDebit('Encaisse')
    const before = await debitCollectionService.collectDue({ today: inDays(5) })
    assert.equal(before.collected, 0)
    assert.equal((await Invoice.findOrFail(invoice.id)).status, 'open')

    const run = await debitCollectionService.collectDue({ today: batch.collection_date })
    assert.deepEqual(run, { collected: 1, collectedCents: 1220, overpaidCents: 0 })
    const paid = await Invoice.findOrFail(invoice.id)
    assert.equal(paid.status, 'paid')
    assert.equal(paid.balanceCents, 0)
    const payment = await db.from('payments').where('invoice_id', invoice.id).firstOrFail()
    assert.include(payment, { method: 'sepa', amount_cents: 1220, receipt_number: endToEndId, paid_on: batch.collection_date, reversed_on: null })
    assert.equal((await db.from('sepa_debit_lines').where('invoice_id', invoice.id).firstOrFail()).collected_on, batch.collection_date)
    assert.deepEqual(await invoiceService.openInvoices(invoice.familyId), [])

    const again = await debitCollectionService.collectDue({ today: inDays(30) })
    assert.equal(again.collected, 0)
    assert.lengthOf(await db.from('payments').where('invoice_id', invoice.id), 1)
    assert.lengthOf(await db.from('audit_logs').where('action', 'billing.sepa_debit.collected'), 1)
  })

  test('a reject after the collection reverses the payment: the invoice is open again, the payment kept as rejected', async ({ assert }) => {
    const { invoice, batch, endToEndId, family } = await sentDebit('Reprise')
    await debitCollectionService.collectDue({ today: batch.collection_date })
    const result = await debitReturnService.import(rejectReport(batch, endToEndId), 'retour.xml')
    assert.lengthOf(result.applied, 1)

    const reopened = await Invoice.query().where('id', invoice.id).preload('payments').firstOrFail()
    assert.equal(reopened.status, 'open')
    assert.equal(reopened.paidCents, 0)
    assert.equal(reopened.balanceCents, 1220)
    assert.isNull(reopened.paidAt)
    assert.lengthOf(reopened.payments, 1)
    assert.equal(reopened.payments[0].reversedOn, result.report.reportedOn)
    assert.deepEqual((await invoiceService.openInvoices(family.id)).map((open) => open.id), [invoice.id])
    const audit = await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected').firstOrFail()
    assert.equal((typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details).reversedCents, 1220)
    const history = await db.from('family_history_entries').where('family_id', family.id).where('kind', 'payment-reversed').firstOrFail()
    assert.include(history.text, `Paiement par prélèvement du ${frDay(batch.collection_date)} (12,20`)

    const pdf = await pdfText(await invoicePdf(reopened))
    assert.include(pdf, `Prélèvement rejeté le ${frDay(result.report.reportedOn)} : paiement annulé`)
    // The same file again reverses nothing twice.
    await debitReturnService.import(rejectReport(batch, endToEndId), 'retour.xml')
    assert.equal((await Invoice.findOrFail(invoice.id)).balanceCents, 1220)
  })

  test('a reject before the collection day: the debit is never recorded as a payment', async ({ assert }) => {
    const { invoice, batch, endToEndId } = await sentDebit('Avant')
    await debitReturnService.import(rejectReport(batch, endToEndId, 'AC04'), 'retour.xml')
    const run = await debitCollectionService.collectDue({ today: batch.collection_date })
    assert.equal(run.collected, 0)
    assert.lengthOf(await db.from('payments').where('invoice_id', invoice.id), 0)
    assert.equal((await Invoice.findOrFail(invoice.id)).balanceCents, 1220)
  })

  test('a credit note after the file was sent: the debit pays what is left, the rest is an overpayment a reject cancels', async ({ assert }) => {
    const { invoice, batch, endToEndId } = await sentDebit('Avoir')
    const agent = await createUser('staff')
    await invoiceService.issueCreditNote(invoice.id, 500, 'Repas non servi', agent)
    const run = await debitCollectionService.collectDue({ today: batch.collection_date })
    assert.deepEqual(run, { collected: 1, collectedCents: 1220, overpaidCents: 500 })
    assert.equal((await db.from('payments').where('invoice_id', invoice.id).firstOrFail()).amount_cents, 720)
    assert.equal((await db.from('overpayments').where('invoice_id', invoice.id).firstOrFail()).amount_cents, 500)
    assert.equal((await Invoice.findOrFail(invoice.id)).status, 'paid')

    await debitReturnService.import(rejectReport(batch, endToEndId), 'retour.xml')
    assert.lengthOf(await db.from('overpayments').where('invoice_id', invoice.id), 0)
    const reopened = await Invoice.findOrFail(invoice.id)
    assert.equal(reopened.balanceCents, 720)
    assert.equal(reopened.status, 'open')
  })

  test('the parent sees the debit in the payment history, then the reject', async ({ client, assert }) => {
    const { invoice, batch, endToEndId, parent } = await sentDebit('Historique')
    await debitCollectionService.collectDue({ today: batch.collection_date })
    const paid = await client.get('/facturation').loginAs(parent!)
    assert.include(paid.text(), 'Prélèvement automatique')
    const detail = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.include(detail.text(), `Paiement du ${frDay(batch.collection_date)} — Prélèvement automatique (reçu n° ${endToEndId})`)

    const result = await debitReturnService.import(rejectReport(batch, endToEndId), 'retour.xml')
    const list = await client.get('/facturation').loginAs(parent!)
    assert.include(list.text(), `Prélèvement automatique — rejeté par la banque le ${frDay(result.report.reportedOn)}, paiement annulé`)
    const after = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.include(after.text(), `Prélèvement rejeté par la banque le ${frDay(result.report.reportedOn)} : paiement annulé`)
  })
})

import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { pain002 } from '#modules/billing/tests/pain002_fixture'
import { createUser } from '#tests/helpers/users'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!

async function batchAndReport() {
  const fixture = await familyWithInvoice(4, { mandate: {}, lastName: 'Televerse' })
  const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
  const xml = pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId: `FAC-${fixture.invoice.number}`, reason: 'AC04' }] }] })
  return { ...fixture, batch, xml }
}

const rejectedOn = async (invoiceId: number) => (await db.from('sepa_debit_lines').where('invoice_id', invoiceId).firstOrFail()).rejected_on

test.group('SEPA returns sent from the staff debits page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff send the bank’s file: the rejects are applied once, the page lists them', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice, batch, xml } = await batchAndReport()
    const page = await client.get('/gestion/facturation/prelevements?month=2026-09').loginAs(agent)
    assert.include(page.text(), 'Fichier de retour de la banque')
    assert.include(page.text(), 'IMPORTER LES REJETS')

    const send = () =>
      client.post('/gestion/facturation/prelevements/retours').field('month', '2026-09').file('file', Buffer.from(xml), { filename: 'retour.xml' }).withCsrfToken().loginAs(agent).redirects(0)
    const first = await send()
    first.assertStatus(302)
    assert.equal(first.header('location'), '/gestion/facturation/prelevements?month=2026-09')
    assert.equal((first.flashMessages() as any).alert.success, `Retour de la banque sur le lot ${batch.message_id} : 1 rejet appliqué : factures de nouveau à payer, familles prévenues.`)
    assert.equal(await rejectedOn(invoice.id), DateTime.fromISO('2026-11-12').toISODate())
    const second = await send()
    assert.equal((second.flashMessages() as any).alert.info, `Retour de la banque sur le lot ${batch.message_id} : 1 rejet déjà appliqué : rien n’est fait deux fois.`)
    assert.lengthOf(await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected'), 1)
    const after = await client.get('/gestion/facturation/prelevements?month=2026-09').loginAs(agent)
    assert.include(after.text(), 'Rejeté le 12/11/2026 : AC04 — le compte bancaire du mandat est clôturé')
  })

  test('a file that is not XML, a malformed one and one for another batch are refused beside the field, nothing applied', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice, xml } = await batchAndReport()
    const send = (bytes: Buffer, filename: string) =>
      client.post('/gestion/facturation/prelevements/retours').field('month', '2026-09').file('file', bytes, { filename }).withCsrfToken().loginAs(agent).redirects(0)
    const errorsOf = (response: Awaited<ReturnType<typeof send>>) => (response.flashMessages() as any).inputErrorsBag?.file?.[0] ?? (response.flashMessages() as any).errorsBag

    const pdf = await send(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), 'retour.xml')
    pdf.assertStatus(302)
    assert.equal(errorsOf(pdf), '« retour.xml » n’est pas un fichier XML : envoyez le compte rendu pain.002.001.03 reçu de la banque.')
    const malformed = await send(Buffer.from(xml.replace('</TxSts>', '</Tx>')), 'casse.xml')
    assert.match(errorsOf(malformed), /^casse\.xml:\d+:\d+: balise mal formée/)
    const other = await send(Buffer.from(pain002({ originalMessageId: 'PF-202608-20260902100000' })), 'autre.xml')
    assert.include(errorsOf(other), 'autre.xml répond au fichier de prélèvement PF-202608-20260902100000, qui n’est pas un lot de ce portail')
    const missing = await client.post('/gestion/facturation/prelevements/retours').field('month', '2026-09').withCsrfToken().loginAs(agent).redirects(0)
    assert.equal(errorsOf(missing), 'Choisissez le fichier de retour reçu de la banque (pain.002, XML).')
    assert.isNull(await rejectedOn(invoice.id))
  })

  test('a parent is refused; a form without its CSRF token is refused', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice, parent, xml } = await batchAndReport()
    const refused = await client.post('/gestion/facturation/prelevements/retours').file('file', Buffer.from(xml), { filename: 'r.xml' }).withCsrfToken().loginAs(parent!).redirects(0)
    refused.assertStatus(403)
    const noToken = await client.post('/gestion/facturation/prelevements/retours').file('file', Buffer.from(xml), { filename: 'r.xml' }).loginAs(agent).redirects(0)
    noToken.assertStatus(419)
    assert.isNull(await rejectedOn(invoice.id))
  })
})

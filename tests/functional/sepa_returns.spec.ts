import emitter from '@adonisjs/core/services/emitter'
// Billing and messaging together: a rejected debit is told to the family through messaging (a cross-module test).
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import { fixtureSource } from '#modules/billing/services/billing_source'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import debitReturnService from '#modules/billing/services/sepa/debit_return_service'
import { plannedDebit } from '#modules/billing/services/sepa/invoice_debit'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { familyNotices, payfipLink } from '#modules/billing/tests/fixtures'
import { pain002 } from '#modules/billing/tests/pain002_fixture'
import { createUser } from '#tests/helpers/users'
import { seedCatalog } from '#modules/messaging/tests/factories'
import mailQueue from '#services/mail_queue'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
const today = () => DateTime.now().setZone('Europe/Paris').toISODate()!

test.group('SEPA returns (pain.002): a rejected debit', (group) => {
  const payfip = usePayfipSimulator(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the invoice is unpaid again and payable online, the mandate back to FRST, the family told why in words; the next month goes FRST', async ({ client, assert }) => {
    await seedCatalog()
    const { messages } = mail.fake()
    const rejected = await familyWithInvoice(4, { mandate: {}, lastName: 'Rejet' })
    const paid = await familyWithInvoice(2, { mandate: { iban: 'DE89370400440532013000', bic: null }, lastName: 'Passe' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
    const xml = pain002({
      messageId: 'BANQUE-RJ-1',
      createdAt: `${today()}T08:00:00`,
      originalMessageId: batch.message_id,
      groupStatus: 'PART',
      payments: [{ id: `${batch.message_id}-FRST`, status: 'PART', transactions: [{ endToEndId: `FAC-${rejected.invoice.number}`, reason: 'AM04' }, { endToEndId: `FAC-${paid.invoice.number}`, status: 'ACCP' }] }],
    })

    const result = await debitReturnService.import(xml, 'retour.xml')
    assert.deepEqual(result.applied.map((item) => [item.invoiceNumber, item.code]), [[rejected.invoice.number, 'AM04']])
    assert.lengthOf(result.alreadyApplied, 0)

    const line = await db.from('sepa_debit_lines').where('invoice_id', rejected.invoice.id).firstOrFail()
    assert.equal(line.rejection_code, 'AM04')
    assert.equal(line.rejected_on, today())
    assert.equal(line.rejection_report_id, 'BANQUE-RJ-1')
    assert.isNull((await db.from('sepa_debit_lines').where('invoice_id', paid.invoice.id).firstOrFail()).rejected_on)

    const invoice = await Invoice.findOrFail(rejected.invoice.id)
    assert.isNull(invoice.debitMandateId)
    assert.isNull(invoice.debitOn)
    assert.equal(invoice.dueDate, inDays(15) > rejected.invoice.dueDate ? inDays(15) : rejected.invoice.dueDate)
    assert.equal(invoice.balanceCents, 1220)
    assert.isNull(await plannedDebit(invoice))
    assert.isTrue((await plannedDebit(await Invoice.findOrFail(paid.invoice.id)))!.sent)

    const mandates = await db.from('sepa_mandates').whereIn('family_id', [rejected.family.id, paid.family.id]).where('status', 'active').orderBy('family_id')
    assert.deepEqual(
      mandates.map((mandate) => [Number(mandate.family_id), mandate.sequence]),
      [
        [rejected.family.id, 'FRST'],
        [paid.family.id, 'RCUR'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number))
    )

    const history = await db.from('family_history_entries').where('family_id', rejected.family.id).where('kind', 'sepa-debit-rejected')
    assert.lengthOf(history, 1)
    assert.include(history[0].text, 'rejeté par la banque : la provision du compte était insuffisante le jour du prélèvement')
    const audits = await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected').where('subject_id', String(line.id))
    assert.lengthOf(audits, 1)

    const notice = (await familyNotices(rejected.family.id)).find((item) => item.subject.startsWith('Prélèvement rejeté'))!
    assert.equal(notice.subject, `Prélèvement rejeté : facture n° ${rejected.invoice.number}`)
    assert.include(notice.body, 'a été rejeté par votre banque : la provision du compte était insuffisante le jour du prélèvement.')
    assert.include(notice.body, `/facturation/${rejected.invoice.id}`)
    assert.include(notice.body, 'payer en ligne')
    assert.notInclude(notice.body, 'AM04')
    await mailQueue.drain()
    const mails = messages.sent((message) => message.hasTo(rejected.parent!.email!) && JSON.stringify(message.toJSON()).includes('Prélèvement rejeté'))
    assert.lengthOf(mails, 1)
    mail.restore()
    assert.lengthOf((await familyNotices(paid.family.id)).filter((item) => item.subject.startsWith('Prélèvement rejeté')), 0)

    const page = await client.get(`/facturation/${rejected.invoice.id}`).loginAs(rejected.parent!)
    assert.include(page.text(), `Le prélèvement du ${DateTime.fromISO(batch.collection_date).toFormat('dd/MM/yyyy')} a été rejeté : la provision du compte était insuffisante le jour du prélèvement.`)
    assert.include(page.text(), 'PAYER 12,20')
    const pay = await client.post(`/facturation/${rejected.invoice.id}/payer`).withCsrfToken().loginAs(rejected.parent!).redirects(0)
    pay.assertStatus(200)
    assert.match(payfipLink(pay.text()), /idop=/)
    assert.equal(payfip.simulator.operations.size, 1)

    const agent = await createUser('staff')
    const staffInvoice = await client.get(`/gestion/facturation/factures/${rejected.invoice.id}`).loginAs(agent)
    assert.include(staffInvoice.text(), 'AM04 — la provision du compte était insuffisante')
    const staffBatch = await client.get('/gestion/facturation/prelevements?month=2026-09').loginAs(agent)
    assert.include(staffBatch.text(), `Rejeté le ${DateTime.fromISO(today()).toFormat('dd/MM/yyyy')} : AM04 — la provision du compte était insuffisante`)
    assert.include(staffBatch.text(), 'aucun rejet reçu')

    // October: the rejected mandate is presented again as a first debit.
    const days = [{ familyId: rejected.family.id, childId: rejected.children[0].id, activityId: rejected.activity.id, day: '2026-10-05', attendance: 'present' as const, late: false }]
    await invoiceService.generateMonth('2026-10', fixtureSource(days), { issuedOn: '2026-11-02' })
    const october = await debitBatchService.preview('2026-10')
    const next = october.included.find((debit) => debit.familyId === rejected.family.id)!
    assert.equal(next.sequence, 'FRST')
  })

  test('the same report again applies nothing twice; a whole PmtInf rejected rejects its lines', async ({ assert }) => {
    await seedCatalog()
    const first = await familyWithInvoice(3, { mandate: {}, lastName: 'Lot' })
    const second = await familyWithInvoice(2, { mandate: { iban: 'DE89370400440532013000', bic: null }, lastName: 'Entier' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
    const xml = pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, status: 'RJCT', reason: 'MS03' }] })
    // The file's rejections are announced in one event, their notices written together.
    const announced: number[] = []
    const hear = (payload: { rejections: unknown[] }) => void announced.push(payload.rejections.length)
    emitter.on('billing:debits-rejected', hear)
    const applied = await debitReturnService.import(xml, 'retour.xml').finally(() => emitter.off('billing:debits-rejected', hear))
    assert.deepEqual(announced, [2])
    assert.lengthOf((await familyNotices(second.family.id)).filter((item) => item.subject.startsWith('Prélèvement rejeté')), 1)
    assert.sameMembers(applied.applied.map((item) => item.invoiceNumber), [first.invoice.number, second.invoice.number])
    assert.isTrue(applied.applied.every((item) => item.reason === 'la banque n’en a pas précisé la raison'))

    const again = await debitReturnService.import(xml, 'retour.xml')
    assert.lengthOf(again.applied, 0)
    assert.lengthOf(again.alreadyApplied, 2)
    assert.lengthOf(await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected'), 2)
    assert.lengthOf(await db.from('family_history_entries').whereIn('family_id', [first.family.id, second.family.id]).where('kind', 'sepa-debit-rejected'), 2)
    assert.lengthOf((await familyNotices(first.family.id)).filter((item) => item.subject.startsWith('Prélèvement rejeté')), 1)
  })

  test('a report for another batch, or naming unknown debits, applies nothing; --skip-unknown applies the known ones', async ({ assert }) => {
    const family = await familyWithInvoice(3, { mandate: {}, lastName: 'Inconnu' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
    const other = pain002({ originalMessageId: 'PF-202608-20260902100000', payments: [{ id: 'PF-202608-20260902100000-FRST', transactions: [{ endToEndId: `FAC-${family.invoice.number}`, reason: 'AM04' }] }] })
    await assert.rejects(() => debitReturnService.import(other, 'autre.xml'), /répond au fichier de prélèvement PF-202608-20260902100000, qui n’est pas un lot de ce portail/)
    const foreignPayment = pain002({ originalMessageId: batch.message_id, payments: [{ id: 'PF-202608-20260902100000-FRST', transactions: [{ endToEndId: `FAC-${family.invoice.number}` }] }] })
    await assert.rejects(() => debitReturnService.import(foreignPayment, 'autre.xml'), /ce fichier répond à un autre lot, rien n’a été appliqué/)

    const unknown = pain002({
      originalMessageId: batch.message_id,
      payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId: `FAC-${family.invoice.number}`, reason: 'AC04' }, { endToEndId: 'FAC-2026-999999', reason: 'AM04' }] }],
    })
    await assert.rejects(() => debitReturnService.import(unknown, 'r.xml'), /1 prélèvement inconnu du lot .*: FAC-2026-999999\. Rien n’a été appliqué/)
    assert.isNull((await db.from('sepa_debit_lines').where('invoice_id', family.invoice.id).firstOrFail()).rejected_on)

    const skipped = await debitReturnService.import(unknown, 'r.xml', { skipUnknown: true })
    assert.deepEqual(skipped.skipped, ['FAC-2026-999999'])
    assert.deepEqual(skipped.applied.map((item) => item.reason), ['le compte bancaire du mandat est clôturé'])
  })
})

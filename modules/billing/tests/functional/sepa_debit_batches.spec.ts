import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { validatePain008 } from '#modules/billing/tests/xmllint'
import { parisDayOf } from '#core/calendar_day'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
const values = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => match[1])

function withEnv(name: string, value: string | undefined, cleanup: (fn: () => void) => void) {
  const saved = process.env[name]
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
  cleanup(() => {
    if (saved === undefined) delete process.env[name]
    else process.env[name] = saved
  })
}

test.group('SEPA debit batch of a month: preview, creation, rerun', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the batch carries the invoices under debit with FRST/RCUR, leaves out the others with a reason, and validates', async ({ assert }) => {
    const first = await familyWithInvoice(4, { mandate: {}, lastName: "O'Brien & Fils" })
    const recurring = await familyWithInvoice(2, { mandate: { holderName: 'Élise Lefèvre', iban: 'DE89370400440532013000', bic: null }, lastName: 'Lefèvre' })
    await db.from('sepa_mandates').where('family_id', recurring.family.id).update({ sequence: 'RCUR' })
    const settled = await familyWithInvoice(1, { mandate: {}, lastName: 'Reglee' })
    await invoiceService.recordManualPayment(settled.invoice.id, { method: 'cash', amountCents: 305, receiptNumber: `R-${settled.invoice.id}`, paidOn: '2026-10-05' }, { id: settled.parent!.id, fullName: 'Agent' })
    const revoked = await familyWithInvoice(1, { mandate: {}, lastName: 'Revoque' })
    await mandateService.revoke(revoked.family, { id: revoked.parent!.id, fullName: 'x' })
    const plain = await familyWithInvoice(1, { lastName: 'Sans' })

    const preview = await debitBatchService.preview('2026-09')
    assert.isNull(preview.batch)
    assert.deepEqual(
      preview.included.map((debit) => [debit.invoiceId, debit.sequence, debit.amountCents]),
      [
        [first.invoice.id, 'FRST', 1220],
        [recurring.invoice.id, 'RCUR', 610],
      ]
    )
    assert.equal(preview.totalCents, 1830)
    assert.equal(preview.plannedOn, '2026-11-10')
    assert.deepEqual(
      preview.excluded.map((debit) => [debit.invoiceId, debit.reason]),
      [
        [settled.invoice.id, 'rien à prélever : facture réglée ou annulée par avoir'],
        [revoked.invoice.id, "mandat révoqué depuis l'émission de la facture : elle se paie en ligne ou au guichet"],
      ]
    )
    assert.notInclude(preview.excluded.map((debit) => debit.invoiceId), plain.invoice.id)

    const collectionDate = inDays(5)
    const { batch, created } = await debitBatchService.create('2026-09', { collectionDate })
    assert.isTrue(created)
    assert.equal(batch.transactions_count, 2)
    assert.equal(Number(batch.control_sum_cents), 1830)
    assert.equal(batch.collection_date, collectionDate)
    assert.match(batch.message_id, /^PF-202609-\d{14}$/)
    const result = validatePain008(batch.xml)
    assert.isTrue(result.valid, result.output)
    assert.deepEqual(values(batch.xml, 'SeqTp'), ['FRST', 'RCUR'])
    assert.deepEqual(values(batch.xml, 'CtrlSum'), ['18.30', '12.20', '6.10'])
    assert.deepEqual(values(batch.xml, 'EndToEndId'), [`FAC-${first.invoice.number}`, `FAC-${recurring.invoice.number}`])
    assert.include(batch.xml, '<Nm>Camille O&apos;Brien et Fils</Nm>')
    assert.include(batch.xml, '<Nm>Elise Lefevre</Nm>')
    assert.include(batch.xml, '<IBAN>FR7630006000011234567890189</IBAN>')
    assert.include(batch.xml, '<IBAN>FR7630001007941234567890185</IBAN>')
    assert.include(batch.xml, `<ReqdColltnDt>${collectionDate}</ReqdColltnDt>`)

    const lines = await db.from('sepa_debit_lines').where('batch_id', batch.id).orderBy('id')
    assert.deepEqual(
      lines.map((line) => [line.invoice_id, line.sequence, line.amount_cents]),
      [
        [first.invoice.id, 'FRST', 1220],
        [recurring.invoice.id, 'RCUR', 610],
      ]
    )
    assert.equal((await SepaMandate.query().where('family_id', first.family.id).where('status', 'active').firstOrFail()).sequence, 'RCUR')
    const history = await db.from('family_history_entries').where('family_id', first.family.id).where('kind', 'sepa-debit-sent')
    assert.lengthOf(history, 1)
    assert.include(history[0].text, 'Prélèvement de 12,20\u00a0€ pour la facture n°')
    assert.lengthOf(await db.from('audit_logs').where({ action: 'billing.sepa_debit_batch.created', subject_id: String(batch.id) }), 1)

    const again = await debitBatchService.create('2026-09', { collectionDate: inDays(9) })
    assert.isFalse(again.created)
    assert.equal(again.batch.id, batch.id)
    assert.equal(again.batch.xml, batch.xml)
    assert.lengthOf(await db.from('sepa_debit_batches').where('month', '2026-09'), 1)

    const after = await debitBatchService.preview('2026-09')
    assert.equal(after.batch!.id, batch.id)
    assert.deepEqual(after.lines.map((line) => line.invoice_id), [first.invoice.id, recurring.invoice.id])
    assert.lengthOf(after.included, 0)
    assert.lengthOf(after.excluded, 2)
  })

  test('an invoice issued after the month’s file is left out and can be paid online', async ({ assert }) => {
    const sent = await familyWithInvoice(2, { mandate: {} })
    await debitBatchService.create('2026-09', { collectionDate: inDays(5) })
    const late = await familyWithInvoice(3, { mandate: {}, lastName: 'Tardive' })
    const preview = await debitBatchService.preview('2026-09')
    assert.deepEqual(preview.lines.map((line) => line.invoice_id), [sent.invoice.id])
    assert.match(preview.excluded[0].reason, /^facture émise après le fichier de prélèvement du mois \(lot PF-202609-\d{14}\)/)
    const { plannedDebit } = await import('#modules/billing/services/sepa/invoice_debit')
    assert.isNull(await plannedDebit(await Invoice.findOrFail(late.invoice.id)))
    assert.isTrue((await plannedDebit(await Invoice.findOrFail(sent.invoice.id)))!.sent)
  })

  test('clear French refusals, nothing written', async ({ assert, cleanup }) => {
    await familyWithInvoice(2, { mandate: {} })
    const refusal = async (month: string, options: { collectionDate?: string | null } = {}) => {
      try {
        await debitBatchService.create(month, options)
      } catch (error) {
        return (error as Error).message
      }
      return 'créé'
    }
    assert.equal(await refusal('2026-9'), 'Mois invalide : « 2026-9 » (format attendu AAAA-MM, par exemple 2026-09).')
    assert.equal(await refusal('2026-09', { collectionDate: '05/10/2026' }), 'Date de prélèvement invalide : « 05/10/2026 » (format attendu AAAA-MM-JJ, par exemple 2026-10-05).')
    const tomorrow = inDays(1)
    assert.equal(
      await refusal('2026-09', { collectionDate: tomorrow }),
      `La date de prélèvement du ${DateTime.fromISO(tomorrow).toFormat('dd/MM/yyyy')} est trop proche : au plus tôt le ${DateTime.fromISO(inDays(2)).toFormat('dd/MM/yyyy')} (la banque doit recevoir le fichier 2 jours avant).`
    )
    assert.match(await refusal('2026-09'), /^La date annoncée aux familles \(le 10\/11\/2026\) est passée ou trop proche : indiquez une date de prélèvement à partir du/)
    assert.equal(await refusal('2026-09', { collectionDate: '2026-11-09' }), 'La date de prélèvement du 09/11/2026 est trop proche : au plus tôt le ' + DateTime.fromISO(inDays(2)).toFormat('dd/MM/yyyy') + ' (la banque doit recevoir le fichier 2 jours avant).')
    assert.equal(await refusal('2026-08', { collectionDate: inDays(5) }), 'Rien à prélever pour août 2026 : aucune facture de ce mois n’est payée par prélèvement.')

    withEnv('SEPA_CREDITOR_IBAN', undefined, cleanup)
    assert.match(await refusal('2026-09', { collectionDate: inDays(5) }), /^Aucun compte créancier n’est configuré : renseignez SEPA_CREDITOR_IBAN/)
    withEnv('SEPA_CREDITOR_ID', undefined, cleanup)
    assert.match(await refusal('2026-09', { collectionDate: inDays(5) }), /^Aucun identifiant créancier SEPA \(ICS\) n’est configuré : renseignez SEPA_CREDITOR_ID/)
    assert.lengthOf(await db.from('sepa_debit_batches'), 0)
    assert.lengthOf(await db.from('sepa_debit_lines'), 0)
    assert.lengthOf(await db.from('sepa_mandates').where('sequence', 'RCUR'), 0)
  })

  test('a collection date earlier than the one announced to families is refused', async ({ assert }) => {
    await familyWithInvoice(2, { mandate: {}, issuedOn: parisDayOf() })
    const planned = (await Invoice.query().where('month', '2026-09').whereNotNull('debit_on').firstOrFail()).debitOn!
    const before = DateTime.fromISO(planned).minus({ days: 1 }).toISODate()!
    await assert.rejects(
      () => debitBatchService.create('2026-09', { collectionDate: before }),
      `Les familles ont été prévenues d’un prélèvement le ${DateTime.fromISO(planned).toFormat('dd/MM/yyyy')} : la date de prélèvement ne peut pas être plus tôt.`
    )
    const { batch } = await debitBatchService.create('2026-09')
    assert.equal(batch.collection_date, planned, 'by default, the day announced')
  })

  test('a mandate revoked while the file is prepared: the file is prepared again, without its debit', async ({ assert, cleanup }) => {
    const kept = await familyWithInvoice(2, { mandate: {}, lastName: 'Gardee' })
    const revoked = await familyWithInvoice(3, { mandate: {}, lastName: 'Revoquee' })
    const service = debitBatchService as any
    const prepare = service.prepare
    let prepared = 0
    service.prepare = async (...args: unknown[]) => {
      const batch = await prepare.apply(service, args)
      if (++prepared === 1) await mandateService.revoke(revoked.family, { id: revoked.parent!.id, fullName: 'x' })
      return batch
    }
    cleanup(() => void delete service.prepare)

    const { batch, created } = await debitBatchService.create('2026-09', { collectionDate: inDays(5) })
    assert.isTrue(created)
    assert.equal(prepared, 2)
    assert.deepEqual(values(batch.xml, 'EndToEndId'), [`FAC-${kept.invoice.number}`])
    assert.deepEqual((await db.from('sepa_debit_lines').where('batch_id', batch.id)).map((line) => line.invoice_id), [kept.invoice.id])
    assert.equal((await SepaMandate.query().where('family_id', revoked.family.id).firstOrFail()).sequence, 'FRST')
  })
})

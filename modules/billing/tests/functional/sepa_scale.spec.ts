import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { insertMany } from '#core/bulk_insert'
import { maskIban } from '#modules/billing/services/sepa/iban'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import debitCollectionService from '#modules/billing/services/sepa/debit_collection'
import pesExportService from '#modules/billing/services/pes/pes_export_service'

/*
 * A month past the databases' parameter limits (SQLite 32,766, PostgreSQL 65,535): 10,000
 * invoices under debit make 70,000 values for the batch's lines alone, 60,000 for its history.
 * Seeded by direct inserts (no PDF signing); the 20,000-family figures are the bench's
 * (modules/billing/bench/sepa_month.ts).
 */
const FAMILIES = 10_000
const MONTH = '2099-01'

async function seedMonthUnderDebit(debitOn: string) {
  const now = DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat)
  const iban = 'FR7630006000011234567890189'
  const sealed = mandateService.sealIban(iban)
  const client = db.connection()
  const families = await insertMany(
    client,
    'families',
    Array.from({ length: FAMILIES }, (_, index) => ({ reference: `ECHELLE-${index}`, city: 'Colomars', created_at: now })),
    ['id']
  )
  const mandates = await insertMany(
    client,
    'sepa_mandates',
    families.map((family, index) => ({
      family_id: Number(family.id),
      rum: `ECHELLE-${index}`,
      holder_name: `Camille Echelle${index}`,
      iban_encrypted: sealed,
      iban_masked: maskIban(iban),
      bic: 'BNPAFRPP',
      signed_at: now,
      sequence: 'FRST',
      status: 'active',
      created_at: now,
    })),
    ['id']
  )
  const invoices = await insertMany(
    client,
    'invoices',
    families.map((family, index) => ({
      family_id: Number(family.id),
      month: MONTH,
      number: `E2099-${String(index + 1).padStart(6, '0')}`,
      year: 2099,
      sequence: index + 1,
      issued_on: DateTime.now().toISODate()!,
      due_date: debitOn,
      total_cents: 1000 + index,
      status: 'open',
      family_name: `Famille Echelle${index}`,
      debit_mandate_id: Number(mandates[index].id),
      debit_on: debitOn,
      created_at: now,
    })),
    ['id', 'total_cents']
  )
  await insertMany(
    client,
    'invoice_lines',
    invoices.map((invoice) => ({
      invoice_id: Number(invoice.id),
      position: 1,
      kind: 'booking',
      label: 'Restauration scolaire',
      quantity: 1,
      unit_price_cents: Number(invoice.total_cents),
      total_cents: Number(invoice.total_cents),
    }))
  )
}

const count = async (query: any) => Number((await query.count('* as total').first()).total)

test.group('SEPA and PES past the databases’ parameter limits', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('10,000 invoices under debit: one batch, every debit collected once, one PES file', async ({ assert }) => {
    const debitOn = DateTime.now().setZone('Europe/Paris').plus({ days: 10 }).toISODate()!
    await seedMonthUnderDebit(debitOn)

    const { batch, created } = await debitBatchService.create(MONTH)
    assert.isTrue(created)
    assert.equal(Number(batch.transactions_count), FAMILIES)
    assert.equal(batch.xml.split('<DrctDbtTxInf>').length - 1, FAMILIES)
    assert.equal(await count(db.from('sepa_debit_lines').where('batch_id', batch.id)), FAMILIES)
    assert.equal(await count(db.from('sepa_mandates').where('rum', 'like', 'ECHELLE-%').where('sequence', 'RCUR')), FAMILIES)
    assert.equal(await count(db.from('family_history_entries').where('kind', 'sepa-debit-sent')), FAMILIES)
    const again = await debitBatchService.create(MONTH)
    assert.isFalse(again.created)
    assert.equal(again.batch.xml, batch.xml)

    const run = await debitCollectionService.collectDue({ today: batch.collection_date })
    assert.equal(run.collected, FAMILIES)
    assert.equal(run.overpaidCents, 0)
    assert.equal(await count(db.from('payments').where('method', 'sepa')), FAMILIES)
    assert.equal(await count(db.from('invoices').where('month', MONTH).where('status', 'paid')), FAMILIES)
    assert.equal(await count(db.from('audit_logs').where('action', 'billing.sepa_debit.collected')), FAMILIES)
    assert.equal((await debitCollectionService.collectDue({ today: batch.collection_date })).collected, 0)

    const pes = await pesExportService.exportMonth(MONTH, null)
    assert.equal(pes.titleCount, FAMILIES)
  }).timeout(120_000)
})

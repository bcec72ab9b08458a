import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { seedDebitMonth } from '#modules/billing/bench/debit_month_seed'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import debitCollectionService from '#modules/billing/services/sepa/debit_collection'
import pesExportService from '#modules/billing/services/pes/pes_export_service'
import PesExport from '#modules/billing/models/pes_export'
import { loopTurnsDuring } from '#tests/helpers/loop_turns'

/*
 * A month past the databases' parameter limits (SQLite 32,766, PostgreSQL 65,535): 10,000
 * invoices under debit make 70,000 values for the batch's lines alone, 60,000 for its history.
 * Seeded by direct inserts (no PDF signing) with the bench's seeder; the 20,000-family figures
 * are the bench's (modules/billing/bench/sepa_month.ts).
 */
const FAMILIES = 10_000
const MONTH = '2099-01'

const count = async (query: any) => Number((await query.count('* as total').first()).total)

test.group('SEPA and PES past the databases’ parameter limits', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('10,000 invoices under debit: one batch, every debit collected once, one PES file', async ({ assert }) => {
    const debitOn = DateTime.now().setZone('Europe/Paris').plus({ days: 10 }).toISODate()!
    await seedDebitMonth(db.connection(), { families: FAMILIES, month: MONTH, debitOn, prefix: 'Echelle' })

    // Its file is prepared with the event loop given back (none when it was built in its transaction).
    const {
      result: { batch, created },
      turns: batchTurns,
    } = await loopTurnsDuring(() => debitBatchService.create(MONTH))
    assert.isTrue(created)
    assert.isAbove(batchTurns, 20)
    assert.equal(Number(batch.transactions_count), FAMILIES)
    assert.equal(batch.xml.split('<DrctDbtTxInf>').length - 1, FAMILIES)
    assert.equal(await count(db.from('sepa_debit_lines').where('batch_id', batch.id)), FAMILIES)
    assert.equal(await count(db.from('sepa_mandates').where('rum', 'like', 'Echelle-%').where('sequence', 'RCUR')), FAMILIES)
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

    // 10,000 titles take a second or more to prepare: the loop is given back all along (it made
    // none when the file was built in one go, inside its transaction).
    const { result: pes, turns } = await loopTurnsDuring(() => pesExportService.exportMonth(MONTH, null))
    assert.equal(pes.titleCount, FAMILIES)
    assert.isAbove(turns, 20)

    // Both files are kept compressed in their rows (a commune's month adds megabytes otherwise),
    // and read back as they were written.
    const storedBatch = await db.from('sepa_debit_batches').where('id', batch.id).select('xml').firstOrFail()
    assert.isBelow(storedBatch.xml.length, batch.xml.length / 5)
    assert.equal((await debitBatchService.find(batch.id))!.xml, batch.xml)
    const storedPes = await db.from('pes_exports').where('id', pes.id).select('xml').firstOrFail()
    const pesText = await pes.text()
    assert.isBelow(storedPes.xml.length, pesText.length / 5)
    assert.equal(await (await PesExport.findOrFail(pes.id)).text(), pesText)
  }).timeout(120_000)
})

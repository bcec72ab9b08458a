import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { runAce, spawnAce } from '#tests/helpers/processes'
import { committedFixtures } from '#modules/billing/tests/fixtures'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!

/** The command runs in its own processes on the same database: families and batch are committed, then removed. */
const committed = committedFixtures()

test.group('billing:sepa-collect', (group) => {
  group.each.setup(() => async () => {
    await db.from('audit_logs').where('subject_type', 'sepa_debit_line').delete()
    await committed.remove()
  })

  test('refuses a date that is not one, recording nothing', async ({ assert }) => {
    const wrong = runAce(['billing:sepa-collect', '--date', '2026-13-01'])
    assert.equal(wrong.status, 1, wrong.output)
    assert.include(wrong.output, "--date : « 2026-13-01 » n'est pas une date (format attendu AAAA-MM-JJ, par exemple 2026-11-10). Rien n'a été enregistré.")
  }).timeout(60_000)

  test('two runs at the same instant record each debit once', async ({ assert }) => {
    const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
    const first = await committed.familyWithInvoice(4, { mandate: {}, lastName: 'Simultane' })
    const second = await committed.familyWithInvoice(2, { mandate: {}, lastName: 'Concurrent' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })

    const early = runAce(['billing:sepa-collect', '--date', inDays(5)])
    assert.equal(early.status, 0, early.output)
    assert.include(early.output, 'rien à faire')

    const runs = await Promise.all([0, 1].map(() => spawnAce(['billing:sepa-collect', '--date', batch.collection_date])))
    for (const run of runs) assert.equal(run.status, 0, run.output)
    const payments = await db.from('payments').whereIn('invoice_id', [first.invoice.id, second.invoice.id]).orderBy('invoice_id')
    assert.deepEqual(
      payments.map((row) => [Number(row.invoice_id), row.method, Number(row.amount_cents)]),
      [
        [first.invoice.id, 'sepa', 1220],
        [second.invoice.id, 'sepa', 610],
      ]
    )
    const output = runs.map((run) => run.output).join('\n')
    const recorded = [...output.matchAll(/(\d+) prélèvements? enregistrés? comme paiement/g)].reduce((sum, match) => sum + Number(match[1]), 0)
    assert.equal(recorded, 2, output)
    const invoices = await db.from('invoices').whereIn('id', [first.invoice.id, second.invoice.id])
    for (const invoice of invoices) assert.equal(invoice.status, 'paid')
  }).timeout(120_000)
})

import { test } from '@japa/runner'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { runAce, spawnAce } from '#tests/helpers/processes'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { pain002 } from '#modules/billing/tests/pain002_fixture'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!

/**
 * The command runs in its own process on the same database: families and the batch (made by the
 * export's service) are committed, and removed after each test.
 */
const committed = committedFixtures()

test.group('billing:sepa-returns', (group) => {
  let folder: string
  group.each.setup(() => {
    folder = mkdtempSync(join(tmpdir(), 'sepa-returns-'))
    return async () => {
      rmSync(folder, { recursive: true, force: true })
      await db.from('audit_logs').where('subject_type', 'sepa_debit_line').delete()
      await committed.remove()
    }
  })

  async function batchWithRejectFile() {
    const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
    const { invoice, family } = await committed.familyWithInvoice(4, { mandate: {}, lastName: 'Retour' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: inDays(6) })
    const file = join(folder, 'retour.xml')
    const xml = pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId: `FAC-${invoice.number}`, reason: 'MD06' }] }] })
    writeFileSync(file, xml)
    return { invoice, family, batch, file, xml }
  }

  test('applies the rejects once: the invoice back to unpaid, the mandate to FRST; the same file again says "déjà appliqué"', async ({ assert }) => {
    const { invoice, family, batch, file } = await batchWithRejectFile()
    const first = runAce(['billing:sepa-returns', file])
    assert.equal(first.status, 0, first.output)
    assert.include(first.output, `Compte rendu BANQUE-RET-0001 du lot ${batch.message_id}`)
    assert.include(first.output, '1 rejet appliqué : factures de nouveau à payer, familles prévenues.')
    assert.include(first.output, `facture n° ${invoice.number} (${invoice.familyName}), 12,20\u00a0€ : MD06 — le titulaire du compte a contesté ce prélèvement auprès de sa banque`)
    const row = await db.from('invoices').where('id', invoice.id).firstOrFail()
    assert.isNull(row.debit_mandate_id)
    assert.equal((await db.from('sepa_mandates').where('family_id', family.id).where('status', 'active').firstOrFail()).sequence, 'FRST')

    const again = runAce(['billing:sepa-returns', file])
    assert.equal(again.status, 0, again.output)
    assert.include(again.output, "1 rejet déjà appliqué (import précédent) : rien n'est fait deux fois.")
    assert.notInclude(again.output, 'rejet appliqué :')
    assert.lengthOf(await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected'), 1)
    assert.lengthOf(await db.from('family_history_entries').where('family_id', family.id).where('kind', 'sepa-debit-rejected'), 1)
  }).timeout(120_000)

  test('refuses a malformed file with file:line:column, a file for another batch and unknown debits, applying nothing', async ({ assert }) => {
    const { invoice, xml } = await batchWithRejectFile()
    const broken = join(folder, 'casse.xml')
    writeFileSync(broken, xml.replace('</OrgnlEndToEndId>', '</OrgnlEndToEnd>'))
    const line = xml.split('\n').findIndex((text) => text.includes('</OrgnlEndToEndId>')) + 1
    const malformed = runAce(['billing:sepa-returns', broken])
    assert.equal(malformed.status, 1, malformed.output)
    assert.match(malformed.output, new RegExp(`casse\\.xml:${line}:\\d+: balise mal formée, mal fermée ou inattendue`))
    assert.include(malformed.output, "Rien n'a été appliqué.")

    const other = join(folder, 'autre.xml')
    writeFileSync(other, pain002({ originalMessageId: 'PF-202608-20260902100000', payments: [{ id: 'PF-202608-20260902100000-FRST', transactions: [{ endToEndId: `FAC-${invoice.number}` }] }] }))
    const refused = runAce(['billing:sepa-returns', other])
    assert.equal(refused.status, 1, refused.output)
    assert.include(refused.output, 'autre.xml répond au fichier de prélèvement PF-202608-20260902100000, qui n’est pas un lot de ce portail')

    const mixed = join(folder, 'mixte.xml')
    writeFileSync(mixed, xml.replace('</TxInfAndSts>', '</TxInfAndSts><TxInfAndSts><OrgnlEndToEndId>FAC-2026-999999</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>'))
    const unknown = runAce(['billing:sepa-returns', mixed])
    assert.equal(unknown.status, 1, unknown.output)
    assert.include(unknown.output, 'FAC-2026-999999 : aucune ligne de ce lot ne porte cet identifiant')
    assert.isNull((await db.from('sepa_debit_lines').where('invoice_id', invoice.id).firstOrFail()).rejected_on)

    const missing = runAce(['billing:sepa-returns', join(folder, 'absent.xml')])
    assert.equal(missing.status, 1, missing.output)
    assert.include(missing.output, "n'existe pas : rien n'a été appliqué.")

    const skipped = runAce(['billing:sepa-returns', mixed, '--skip-unknown'])
    assert.equal(skipped.status, 0, skipped.output)
    assert.include(skipped.output, '1 rejet appliqué')
    assert.include(skipped.output, '1 rejet inconnu ignoré (--skip-unknown) : FAC-2026-999999')
    assert.isNotNull((await db.from('sepa_debit_lines').where('invoice_id', invoice.id).firstOrFail()).rejected_on)
  }).timeout(240_000)

  test('two imports of the same file at the same instant: one applies it', async ({ assert }) => {
    const { family, file } = await batchWithRejectFile()
    const results = await Promise.all([spawnAce(['billing:sepa-returns', file]), spawnAce(['billing:sepa-returns', file])])
    for (const result of results) assert.equal(result.status, 0, result.output)
    assert.lengthOf(results.filter((result) => result.output.includes('1 rejet appliqué')), 1)
    assert.lengthOf(results.filter((result) => result.output.includes('déjà appliqué')), 1)
    assert.lengthOf(await db.from('audit_logs').where('action', 'billing.sepa_debit.rejected'), 1)
    assert.lengthOf(await db.from('family_history_entries').where('family_id', family.id).where('kind', 'sepa-debit-rejected'), 1)
  }).timeout(120_000)
})

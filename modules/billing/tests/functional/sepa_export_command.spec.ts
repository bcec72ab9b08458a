import { test } from '@japa/runner'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { runAce, spawnAce } from '#tests/helpers/processes'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { validatePain008 } from '#modules/billing/tests/xmllint'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!

/**
 * The command runs in its own process on the same database: the families are committed, and
 * removed after each test (with the month's batch).
 */
const committed = committedFixtures()

test.group('billing:sepa-export', (group) => {
  let folder: string
  group.each.setup(() => {
    folder = mkdtempSync(join(tmpdir(), 'sepa-export-'))
    return async () => {
      rmSync(folder, { recursive: true, force: true })
      await committed.remove()
    }
  })

  test('refuses a wrong month, a collection date too soon, a month without debit and a wrong SEPA_DEBIT_DAY, writing nothing', async ({ assert }) => {
    await committed.familyWithInvoice(2, { mandate: {}, lastName: 'Commande' })
    const out = join(folder, 'prelevements.xml')
    const month = runAce(['billing:sepa-export', '--month', '2026-9', '--out', out])
    assert.equal(month.status, 1, month.output)
    assert.include(month.output, 'Mois invalide : « 2026-9 ». Format attendu : AAAA-MM (exemple : 2026-09).')

    const soon = runAce(['billing:sepa-export', '--month', '2026-09', '--collection-date', inDays(1), '--out', out])
    assert.equal(soon.status, 1, soon.output)
    assert.include(soon.output, `est trop proche : au plus tôt le ${DateTime.fromISO(inDays(2)).toFormat('dd/MM/yyyy')}`)
    assert.include(soon.output, "Rien n'a été fait.")

    const empty = runAce(['billing:sepa-export', '--month', '1999-01', '--collection-date', inDays(5), '--out', out])
    assert.equal(empty.status, 1, empty.output)
    assert.include(empty.output, 'Rien à prélever pour janvier 1999 : aucune facture de ce mois n’est payée par prélèvement.')

    const badDay = runAce(['billing:sepa-export', '--month', '2026-09', '--out', out], { SEPA_DEBIT_DAY: '31' })
    assert.notEqual(badDay.status, 0, badDay.output)
    assert.include(badDay.output, '« 31 » n\'est pas un jour de prélèvement valide : un nombre de 1 à 28')

    assert.isFalse(existsSync(out))
    assert.lengthOf(await db.from('sepa_debit_batches'), 0)
  })

  test('writes the month’s file once: it validates, the invoices are sent, FRST becomes RCUR; a rerun gives the same file', async ({ assert }) => {
    const { invoice, family } = await committed.familyWithInvoice(4, { mandate: {}, lastName: 'Élan' })
    const other = await committed.familyWithInvoice(1, { lastName: 'Sans mandat' })
    const out = join(folder, 'prelevements.xml')
    const date = inDays(6)
    const first = runAce(['billing:sepa-export', '--month', '2026-09', '--collection-date', date, '--out', out])
    assert.equal(first.status, 0, first.output)
    assert.match(first.output, /Lot PF-202609-\d{14} créé pour septembre 2026 : 1 prélèvement, 12,20\s€, le \d{2}\/\d{2}\/\d{4}\. Fichier écrit : /)
    const xml = readFileSync(out, 'utf8')
    const result = validatePain008(xml)
    assert.isTrue(result.valid, result.output)
    assert.include(xml, `<EndToEndId>FAC-${invoice.number}</EndToEndId>`)
    assert.notInclude(xml, other.invoice.number)
    assert.include(xml, '<SeqTp>FRST</SeqTp>')
    assert.include(xml, `<ReqdColltnDt>${date}</ReqdColltnDt>`)
    assert.equal((await db.from('sepa_mandates').where('family_id', family.id).where('status', 'active').firstOrFail()).sequence, 'RCUR')
    assert.lengthOf(await db.from('sepa_debit_lines').where('invoice_id', invoice.id), 1)

    const again = runAce(['billing:sepa-export', '--month', '2026-09', '--collection-date', inDays(8), '--out', out])
    assert.equal(again.status, 0, again.output)
    assert.include(again.output, 'existe déjà')
    assert.include(again.output, "rien n'est envoyé deux fois")
    assert.include(again.output, 'est ignorée')
    assert.equal(readFileSync(out, 'utf8'), xml)
    assert.lengthOf(await db.from('sepa_debit_batches').where('month', '2026-09'), 1)
    assert.lengthOf(await db.from('sepa_debit_lines').where('invoice_id', invoice.id), 1)
  })

  test('two exports at the same instant make one batch and the same file', async ({ assert }) => {
    await committed.familyWithInvoice(3, { mandate: {}, lastName: 'Simultanee' })
    await committed.familyWithInvoice(2, { mandate: {}, lastName: 'Concurrente' })
    const date = inDays(7)
    const outs = [join(folder, 'a.xml'), join(folder, 'b.xml')]
    const results = await Promise.all(outs.map((out) => spawnAce(['billing:sepa-export', '--month', '2026-09', '--collection-date', date, '--out', out])))
    for (const result of results) assert.equal(result.status, 0, result.output)
    assert.lengthOf(results.filter((result) => result.output.includes('créé pour septembre 2026')), 1)
    assert.lengthOf(results.filter((result) => result.output.includes('existe déjà')), 1)
    assert.equal(readFileSync(outs[0], 'utf8'), readFileSync(outs[1], 'utf8'))
    const batches = await db.from('sepa_debit_batches').where('month', '2026-09')
    assert.lengthOf(batches, 1)
    assert.equal(batches[0].transactions_count, 2)
    assert.lengthOf(await db.from('sepa_debit_lines').where('batch_id', batches[0].id), 2)
  })
})

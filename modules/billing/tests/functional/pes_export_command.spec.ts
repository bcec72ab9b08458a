import { test } from '@japa/runner'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import PesExport from '#modules/billing/models/pes_export'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { parsePes, v } from '#modules/billing/tests/pes_xml'
import { runAce } from '#tests/helpers/processes'

const committed = committedFixtures()
let folder = ''

/** The command runs in its own process: the rows it reads are committed, and removed at the end. */
test.group('billing:pes-export', (group) => {
  group.setup(() => {
    folder = mkdtempSync(join(tmpdir(), 'pes-'))
  })
  group.teardown(async () => {
    const ids = (await db.from('pes_export_pieces').whereIn('invoice_id', db.from('invoices').whereIn('family_id', committed.created.familyIds).select('id')).select('pes_export_id')).map((row) => row.pes_export_id)
    await db.from('audit_logs').where('action', 'billing.pes_export.created').whereIn('subject_id', ids.map(String)).delete()
    await db.from('pes_exports').whereIn('id', ids).delete()
    await committed.remove()
    rmSync(folder, { recursive: true, force: true })
  })

  test('refuses a wrong month, a missing identifier and an existing file, writing nothing', async ({ assert }) => {
    await committed.familyWithInvoice(2, { lastName: 'Commande' })
    const wrong = runAce(['billing:pes-export', '--month', '2026-13'])
    assert.equal(wrong.status, 1, wrong.output)
    assert.include(wrong.output, 'Mois invalide : « 2026-13 »')

    const out = join(folder, 'manquant.xml')
    // A blank value, not an empty one: Adonis fills empty variables from .env.test.
    const missing = runAce(['billing:pes-export', '--month', '2026-09', '--out', out], { PES_COD_BUD: ' ', PES_NATURE: ' ' })
    assert.equal(missing.status, 1, missing.output)
    assert.include(missing.output, 'Configuration du PES V2 incomplète : les variables PES_COD_BUD, PES_NATURE ne sont pas renseignées')
    assert.isFalse(existsSync(out))

    const taken = join(folder, 'deja-la.xml')
    writeFileSync(taken, 'à garder')
    const exists = runAce(['billing:pes-export', '--month', '2026-09', '--out', taken])
    assert.equal(exists.status, 1, exists.output)
    assert.include(exists.output, 'existe déjà')
    assert.equal(readFileSync(taken, 'utf8'), 'à garder')
    assert.lengthOf(await PesExport.query().where('month', '2026-09'), 0)
  })

  test('writes the month once; again, exports nothing and says so; --again rewrites the same file', async ({ assert }) => {
    const { invoice } = await committed.familyWithInvoice(3, { lastName: 'Commande' })
    const out = join(folder, 'titres.xml')
    const first = runAce(['billing:pes-export', '--month', '2026-09', '--out', out])
    assert.equal(first.status, 0, first.output)
    assert.match(first.output, /PES V2 septembre 2026 : \d+ titres? \(bordereau n° \d+, .*\), exercice 2026\. Fichier écrit : /)
    const xml = readFileSync(out, 'utf8')
    const piece = await db.from('pes_export_pieces').where('invoice_id', invoice.id).firstOrFail()
    const created = await PesExport.findOrFail(piece.pes_export_id)
    assert.equal(xml, await created.text())
    const root = parsePes(xml)
    const numbers = root.PES_RecetteAller.Bordereau[0].Piece.map((piece: any) => v(piece.BlocPiece, 'NumeroFacture'))
    assert.include(numbers, invoice.number)

    const second = runAce(['billing:pes-export', '--month', '2026-09', '--out', join(folder, 'encore.xml')])
    assert.equal(second.status, 0, second.output)
    assert.include(second.output, 'Rien à exporter pour septembre 2026')
    assert.isFalse(existsSync(join(folder, 'encore.xml')))
    assert.lengthOf(await PesExport.query().where('month', '2026-09'), 1)

    const copy = join(folder, 'copie.xml')
    const again = runAce(['billing:pes-export', '--month', '2026-09', '--again', created.fileName, '--out', copy])
    assert.equal(again.status, 0, again.output)
    assert.equal(readFileSync(copy, 'utf8'), xml)
    const unknown = runAce(['billing:pes-export', '--month', '2026-09', '--again', 'inconnu.xml', '--out', join(folder, 'x.xml')])
    assert.equal(unknown.status, 1, unknown.output)
    assert.include(unknown.output, `Aucun fichier « inconnu.xml » exporté pour septembre 2026. Fichiers du mois : ${created.fileName}.`)
  })
})

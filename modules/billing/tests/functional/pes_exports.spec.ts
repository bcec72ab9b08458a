import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import PesExport from '#modules/billing/models/pes_export'
import invoiceService from '#modules/billing/services/invoice_service'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import pesExportService from '#modules/billing/services/pes/pes_export_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { cents, parsePes, v } from '#modules/billing/tests/pes_xml'
import { createUser } from '#tests/helpers/users'
import { CookieAgent } from '#modules/accounts/tests/helpers'

const IBAN = 'FR7630006000011234567890189'

/** The titles of a file by invoice number: piece, lines and debtor. */
function piecesByNumber(xml: string) {
  const root = parsePes(xml)
  const pieces = new Map<string, any>()
  for (const bordereau of root.PES_RecetteAller.Bordereau) for (const piece of bordereau.Piece) pieces.set(v(piece.BlocPiece, 'NumeroFacture')!, piece)
  return { root, pieces }
}

test.group('Titres PES V2 from the staff FACTURATION page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the month block counts what is pending; the export carries each invoice once and downloads as it was made', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const first = await familyWithInvoice(4, { lastName: 'Durand' })
    const second = await familyWithInvoice(2, { lastName: 'Leroy' })
    const total = first.invoice.totalCents + second.invoice.totalCents
    // Other 2026-09 invoices of the database (none inside this transaction, but the count is what the page must show).
    const pending = await db.from('invoices').where('month', '2026-09').where('total_cents', '>', 0).count('* as count').first()

    const page = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
    page.assertStatus(200)
    assert.include(page.text(), 'Titres PES V2 de septembre 2026')
    assert.include(page.text(), `À exporter : ${Number(pending!.count)} factures`)

    const run = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    run.assertStatus(302)
    assert.equal(run.header('location'), '/gestion/facturation?month=2026-09#titres-pes')
    const created = await PesExport.query().where('month', '2026-09').firstOrFail()
    assert.include((run.flashMessages() as any).alert.success, `Fichier PES V2 de septembre 2026 créé (bordereau n° ${created.bordereauNumber}) : ${created.titleCount} titres`)
    assert.equal(created.createdBy, agent.id)

    const download = await client.get(`/gestion/facturation/titres-pes/${created.id}`).loginAs(agent)
    download.assertStatus(200)
    assert.include(download.header('content-type'), 'application/xml')
    assert.include(download.header('content-disposition'), `attachment; filename="${created.fileName}"`)
    assert.equal(download.text(), await created.text())

    const { root, pieces } = piecesByNumber(download.text())
    assert.equal(v(root.Enveloppe.Parametres, 'NomFic'), created.fileName)
    assert.deepEqual(['IdPost', 'IdColl', 'CodCol', 'CodBud'].map((name) => v(root.EnTetePES, name)), ['006034', '21060004200019', '123', '01'])
    const bordereau = root.PES_RecetteAller.Bordereau[0]
    assert.equal(v(bordereau.BlocBordereau, 'TypBord'), '01')
    assert.equal(Number(v(bordereau.BlocBordereau, 'NbrPce')), bordereau.Piece.length)
    const lineSum = bordereau.Piece.flatMap((piece: any) => piece.LigneDePiece).reduce((sum: number, line: any) => sum + cents(v(line.BlocLignePiece.InfoLignePiece, 'MtHT')), 0)
    assert.equal(lineSum, cents(v(bordereau.BlocBordereau, 'MtBordHt')))
    assert.equal(cents(v(bordereau.BlocBordereau, 'MtBordHt')), created.titlesCents)
    assert.isAtLeast(created.titlesCents, total)
    const durand = pieces.get(first.invoice.number)
    assert.exists(durand)
    assert.equal(durand.LigneDePiece.reduce((sum: number, line: any) => sum + cents(v(line.BlocLignePiece.InfoLignePiece, 'MtHT')), 0), first.invoice.totalCents)
    const tiers = durand.LigneDePiece[0].Tiers
    assert.deepEqual(['Nom', 'Prenom', 'RefTiers'].map((name) => v(tiers.InfoTiers, name)), ['DURAND', 'Camille', first.family.reference])
    assert.deepEqual(['Adr2', 'CP', 'Ville'].map((name) => v(tiers.Adresse, name)), ['1 rue des Écoles', '06670', 'Colomars'])
    assert.exists(pieces.get(second.invoice.number))
    const audit = await db.from('audit_logs').where({ action: 'billing.pes_export.created', subject_id: String(created.id) })
    assert.lengthOf(audit, 1)

    // Again: nothing new, said in words; the page lists the file with its link.
    const again = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.equal((again.flashMessages() as any).alert.info, 'Rien à exporter pour septembre 2026 : toutes les factures et tous les avoirs du mois sont déjà dans un fichier PES.')
    assert.lengthOf(await PesExport.query().where('month', '2026-09'), 1)
    const after = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
    assert.include(after.text(), 'Rien à exporter : toutes les factures et tous les avoirs de septembre 2026 sont déjà dans un fichier PES.')
    assert.include(after.text(), `href="/gestion/facturation/titres-pes/${created.id}"`)
  })

  test('a credit note after the export goes out as a reduction of the original title', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice } = await familyWithInvoice(4, { lastName: 'Avoir' })
    await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    const original = await db.from('pes_export_pieces').where('invoice_id', invoice.id).firstOrFail()

    const note = await invoiceService.issueCreditNote(invoice.id, 305, 'Repas non servi <grève> & sortie', { id: agent.id, fullName: agent.fullName })
    const page = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
    assert.include(page.text(), 'et 1 avoir (3,05')
    const run = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.include((run.flashMessages() as any).alert.success, '1 réduction (3,05')
    const reductionFile = await PesExport.query().where('month', '2026-09').orderBy('id', 'desc').firstOrFail()
    assert.isNull(reductionFile.bordereauNumber)
    assert.equal(reductionFile.reductionCount, 1)

    const bordereaux = parsePes(await reductionFile.text()).PES_RecetteAller.Bordereau
    assert.lengthOf(bordereaux, 1)
    assert.equal(v(bordereaux[0].BlocBordereau, 'TypBord'), '02')
    assert.equal(v(bordereaux[0].BlocBordereau, 'MtBordHt'), '3.05')
    const piece = bordereaux[0].Piece[0]
    assert.equal(v(piece.BlocPiece, 'NumeroFacture'), note.number)
    assert.deepEqual(['ExerRat', 'IdPceOrig'].map((name) => v(piece.BlocPiece.RattachPiece, name)), ['2026', String(original.piece_number)])
    assert.include(await reductionFile.text(), '&lt;grève&gt; &amp; sortie')
    assert.isAbove(Number(v(piece.BlocPiece, 'IdPce')), Number(original.piece_number))
  })

  test('an invoice under direct debit: its title carries its mandate and the clear IBAN; a mandate signed after the invoice does not', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice, family } = await familyWithInvoice(3, { lastName: 'Prelev', mandate: { holderName: 'Camille Prelev', iban: IBAN, bic: 'BNPAFRPP' } })
    const mandate = (await mandateService.activeFor(family.id))!
    const later = await familyWithInvoice(2, { lastName: 'Tardif' })
    await mandateService.sign({ id: later.family.id, reference: later.family.reference }, { id: later.parent!.id, fullName: later.parent!.fullName }, { holderName: 'Camille Tardif', iban: IBAN, bic: 'BNPAFRPP' } as any)
    await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    const file = await PesExport.query().where('month', '2026-09').firstOrFail()
    const { pieces } = piecesByNumber(await file.text())
    const line = pieces.get(invoice.number).LigneDePiece[0]
    const sepa = line.BlocLignePiece.InfoPrelevementSEPA
    assert.equal(v(sepa, 'RefUniMdt'), mandate.rum)
    assert.equal(v(sepa, 'SequencePres'), '02')
    assert.equal(v(sepa, 'DateSignMandat'), mandate.signedAt.setZone('Europe/Paris').toISODate())
    assert.deepEqual(['IBAN', 'BIC', 'TitCpte'].map((name) => v(line.Tiers.CpteBancaire, name)), [IBAN, 'BNPAFRPP', 'Camille Prelev'])
    const notDebited = pieces.get(later.invoice.number).LigneDePiece[0]
    assert.isUndefined(notDebited.BlocLignePiece.InfoPrelevementSEPA, 'issued before its family signed: paid online or at the counter')
    assert.isUndefined(notDebited.Tiers.CpteBancaire)
  })

  test('a debit sent carries the sequence presented to the bank; a rejected debit and a revoked mandate carry no SEPA block', async ({ client, assert }) => {
    const { DateTime } = await import('luxon')
    const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
    const { default: debitReturnService } = await import('#modules/billing/services/sepa/debit_return_service')
    const { pain002 } = await import('#modules/billing/tests/pain002_fixture')
    const agent = await createUser('staff')
    const sent = await familyWithInvoice(3, { lastName: 'Envoye', mandate: {} })
    const rejected = await familyWithInvoice(2, { lastName: 'Rejete', mandate: { iban: 'DE89370400440532013000', bic: null } })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: DateTime.now().setZone('Europe/Paris').plus({ days: 6 }).toISODate()! })
    await debitReturnService.import(
      pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId: `FAC-${rejected.invoice.number}`, reason: 'AM04' }] }] }),
      'retour.xml'
    )
    const revoked = await familyWithInvoice(1, { lastName: 'Revoque', mandate: {} })
    await mandateService.revoke(revoked.family, { id: revoked.parent!.id, fullName: revoked.parent!.fullName })

    await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    const { pieces } = piecesByNumber(await (await PesExport.query().where('month', '2026-09').firstOrFail()).text())
    const sentLine = pieces.get(sent.invoice.number).LigneDePiece[0]
    assert.equal(v(sentLine.BlocLignePiece.InfoPrelevementSEPA, 'SequencePres'), '02', 'presented as FRST, although the mandate is RCUR now')
    assert.equal((await mandateService.activeFor(sent.family.id))!.sequence, 'RCUR')
    for (const fixture of [rejected, revoked]) {
      const line = pieces.get(fixture.invoice.number).LigneDePiece[0]
      assert.isUndefined(line.BlocLignePiece.InfoPrelevementSEPA, fixture.invoice.number)
      assert.isUndefined(line.Tiers.CpteBancaire)
    }
  })

  test('a parent is refused the export and the download; a form without its CSRF token is refused', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { parent } = await familyWithInvoice(2, { lastName: 'Refus' })
    const refused = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(parent!).redirects(0)
    refused.assertStatus(403)
    const noToken = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).loginAs(agent).redirects(0)
    noToken.assertStatus(419)
    assert.lengthOf(await PesExport.query().where('month', '2026-09'), 0)

    await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    const file = await PesExport.query().where('month', '2026-09').firstOrFail()
    ;(await client.get(`/gestion/facturation/titres-pes/${file.id}`).loginAs(parent!)).assertStatus(403)
    ;(await client.get('/gestion/facturation/titres-pes/999999').loginAs(agent)).assertStatus(404)
  })

  test('a missing identifier is named on the page and by the export, and nothing is written', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await familyWithInvoice(2, { lastName: 'Config' })
    const saved = process.env.PES_ID_POST
    process.env.PES_ID_POST = ''
    try {
      const page = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
      assert.include(page.text(), 'Export PES V2 non configuré')
      assert.include(page.text(), 'la variable PES_ID_POST')
      const run = await client.post('/gestion/facturation/titres-pes').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
      assert.include((run.flashMessages() as any).alert.error, 'la variable PES_ID_POST n’est pas renseignée')
      assert.lengthOf(await PesExport.query(), 0)
      assert.lengthOf(await db.from('pes_export_pieces'), 0)
    } finally {
      process.env.PES_ID_POST = saved
    }
  })

  test('an invoice issued while the file is prepared: the file is prepared again and carries it', async ({ assert, cleanup }) => {
    const first = await familyWithInvoice(4, { lastName: 'Avant' })
    let late: Awaited<ReturnType<typeof familyWithInvoice>> | undefined
    const service = pesExportService as any
    const prepare = service.prepare
    let prepared = 0
    service.prepare = async (...args: unknown[]) => {
      const file = await prepare.apply(service, args)
      if (++prepared === 1) late = await familyWithInvoice(2, { lastName: 'Pendant' })
      return file
    }
    cleanup(() => void delete service.prepare)

    const created = await pesExportService.exportMonth('2026-09', null)
    assert.equal(prepared, 2)
    const { pieces } = piecesByNumber(await created.text())
    assert.isTrue(pieces.has(first.invoice.number))
    assert.isTrue(pieces.has(late!.invoice.number))
    assert.equal(created.titleCount, pieces.size)
    assert.lengthOf(await PesExport.query().where('month', '2026-09'), 1)
  })
})

const committed = committedFixtures()

/** Committed rows, no global transaction: the two clicks reach the database at the same instant. */
test.group('Titres PES V2: the button clicked twice at once', (group) => {
  group.teardown(async () => {
    const ids = (await db.from('pes_export_pieces').whereIn('invoice_id', db.from('invoices').whereIn('family_id', committed.created.familyIds).select('id')).select('pes_export_id')).map((row) => row.pes_export_id)
    await db.from('pes_exports').whereIn('id', ids).delete()
    await db.from('audit_logs').where('action', 'billing.pes_export.created').whereIn('subject_id', ids.map(String)).delete()
    await committed.remove()
  })

  test('two concurrent exports make ONE file, carrying the invoice once, audited once', async ({ assert }) => {
    const { invoice } = await committed.familyWithInvoice(3, { lastName: 'Double' })
    const agent = await createUser('staff')
    committed.created.userIds.push(agent.id)
    const browser = new CookieAgent()
    const login = await browser.post('/connexion', { username: agent.username, password: 'Un-Mot-De-Passe-Solide-2026' })
    assert.equal(login.status, 302)
    const page = await browser.get('/gestion/facturation?month=2026-09')
    const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)![1]
    const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join('; ')

    const statuses = await Promise.all(
      Array.from({ length: 2 }, () =>
        fetch(`${browser.base}/gestion/facturation/titres-pes`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, month: '2026-09' }).toString(),
          redirect: 'manual',
        }).then((response) => response.status)
      )
    )
    assert.deepEqual(statuses, [302, 302])
    const pieces = await db.from('pes_export_pieces').where('invoice_id', invoice.id)
    assert.lengthOf(pieces, 1)
    const files = await PesExport.query().where('id', pieces[0].pes_export_id)
    assert.lengthOf(files, 1)
    assert.lengthOf(await db.from('audit_logs').where({ action: 'billing.pes_export.created', subject_id: String(files[0].id) }), 1)
  })
})

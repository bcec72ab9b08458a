import { test } from '@japa/runner'
import { writeFile, mkdir } from 'node:fs/promises'
import iconv from 'iconv-lite'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import ace from '@adonisjs/core/services/ace'
import Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import Guardian from '#modules/dossier/models/guardian'
import { User } from '#modules/accounts/index'
import HistoryEntry from '#modules/dossier/models/history_entry'
import ImportFamilies from '#modules/dossier/commands/import_families'
import { ALL_COLUMNS, importFamilies } from '#modules/dossier/services/import/family_import'
import { familyRow, toCsvText, type Row } from '#modules/dossier/tests/import_rows'

const TODAY = '2026-09-01'

/** Rows added since the test began: other suites may have left families of their own. */
let baseline = { families: 0, children: 0, guardians: 0 }

async function absoluteCounts() {
  const [families, children, guardians] = await Promise.all([
    Family.query().count('* as n'),
    Child.query().count('* as n'),
    Guardian.query().count('* as n'),
  ])
  return { families: Number(families[0].$extras.n), children: Number(children[0].$extras.n), guardians: Number(guardians[0].$extras.n) }
}

async function counts() {
  const now = await absoluteCounts()
  return {
    families: now.families - baseline.families,
    children: now.children - baseline.children,
    guardians: now.guardians - baseline.guardians,
  }
}

test.group('Dossier: families:import', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    baseline = await absoluteCounts()
  })

  test('a clean file of 1,000 children imports whole, with pending accounts; re-import changes nothing', async ({ assert }) => {
    const rows: Row[] = []
    for (let n = 1; n <= 500; n++) rows.push(familyRow(n, 1), familyRow(n, 2))
    const buffer = Buffer.from(toCsvText(rows), 'utf8')
    const result = await importFamilies(buffer, { today: TODAY })
    assert.deepEqual(result.errors, [])
    assert.equal(result.rows, 1000)
    assert.deepEqual(result.families, { created: 500, updated: 0, unchanged: 0 })
    assert.equal(result.children.created, 1000)
    assert.equal(result.accounts, 500)
    assert.deepEqual(await counts(), { families: 500, children: 1000, guardians: 750 })
    const user = await User.findByOrFail('email', 'claire.7@exemple.fr')
    assert.equal(user.state, 'pending')
    const guardian = await Guardian.findByOrFail('email', 'claire.7@exemple.fr')
    assert.equal(guardian.userId, user.id)

    const historyBefore = await HistoryEntry.query().count('* as n')
    const again = await importFamilies(buffer, { today: TODAY })
    assert.deepEqual(again.families, { created: 0, updated: 0, unchanged: 500 })
    assert.deepEqual(again.children, { created: 0, updated: 0, unchanged: 1000 })
    assert.equal(again.accounts, 0)
    assert.deepEqual(await counts(), { families: 500, children: 1000, guardians: 750 })
    const historyAfter = await HistoryEntry.query().count('* as n')
    assert.equal(historyAfter[0].$extras.n, historyBefore[0].$extras.n)
  }).timeout(120000)

  test('an updated file updates by famille_ref/enfant_ref and says what changed; --dry-run writes nothing', async ({ assert }) => {
    const rows = [familyRow(1, 1), familyRow(1, 2), familyRow(2, 1)]
    await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY })
    const updated = [familyRow(1, 1, { adresse: '9 boulevard Neuf', quotient_familial: '999' }), familyRow(1, 2, { adresse: '9 boulevard Neuf', quotient_familial: '999', classe: 'CP' }), familyRow(2, 1), familyRow(2, 3), familyRow(3, 1)]
    const dry = await importFamilies(Buffer.from(toCsvText(updated)), { today: TODAY, dryRun: true })
    assert.deepEqual(dry.errors, [])
    assert.deepEqual(dry.families, { created: 1, updated: 2, unchanged: 0 })
    assert.deepEqual(await counts(), { families: 2, children: 3, guardians: 3 })
    const family = await Family.findByOrFail('reference', 'F00001')
    assert.equal(family.address, '1 rue de la Paix')

    const result = await importFamilies(Buffer.from(toCsvText(updated)), { today: TODAY })
    assert.deepEqual(result.families, { created: 1, updated: 2, unchanged: 0 })
    assert.deepEqual(result.children, { created: 2, updated: 1, unchanged: 2 })
    const report = result.reports.find((r) => r.reference === 'F00001')!
    assert.include(report.changes.join(' ; '), 'adresse : « 1 rue de la Paix » → « 9 boulevard Neuf »')
    assert.include(report.changes.join(' ; '), 'quotient familial : « 401 » → « 999 »')
    assert.include(report.changes.join(' ; '), 'classe : « GS » → « CP »')
    assert.include(result.reports.find((r) => r.reference === 'F00002')!.changes.join(), 'enfant ajouté : Enfant3 Nom2')
    await family.refresh()
    assert.equal(family.familyQuotient, 999)
    const entry = await HistoryEntry.query().where('family_id', family.id).where('kind', 'family-updated').firstOrFail()
    assert.include(entry.text, '9 boulevard Neuf')
  })

  test('a file longer than a batch: families updated and added together, one account per email across batches', async ({ assert }) => {
    await importFamilies(Buffer.from(toCsvText([1, 2, 3, 4].map((n) => familyRow(n, 1)))), { today: TODAY, batchSize: 3 })
    const shared = { responsable1_email: 'partage@exemple.fr' }
    const rows = [
      familyRow(1, 1),
      familyRow(2, 1, { adresse: '2 place Neuve' }),
      familyRow(3, 1),
      familyRow(3, 2),
      familyRow(5, 1, { responsable1_email: 'claire.4@exemple.fr', quotient_familial: '' }),
      familyRow(6, 1, shared),
      familyRow(7, 1, shared),
      familyRow(8, 1, shared),
    ]
    const historyBefore = Number((await HistoryEntry.query().count('* as n'))[0].$extras.n)
    const result = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY, batchSize: 3 })
    assert.deepEqual(result.errors, [])
    assert.deepEqual(result.families, { created: 4, updated: 2, unchanged: 1 })
    assert.deepEqual(result.children, { created: 5, updated: 0, unchanged: 3 })
    assert.equal(result.accounts, 1)
    assert.deepEqual(
      result.reports.map((report) => [report.reference, report.action]),
      [
        ['F00001', 'unchanged'],
        ['F00002', 'updated'],
        ['F00003', 'updated'],
        ['F00005', 'created'],
        ['F00006', 'created'],
        ['F00007', 'created'],
        ['F00008', 'created'],
      ]
    )
    assert.deepEqual(result.reports[2].changes, ['enfant ajouté : Enfant2 Nom3'])
    const historyAfter = Number((await HistoryEntry.query().count('* as n'))[0].$extras.n)
    assert.equal(historyAfter - historyBefore, 6)

    const sharedUsers = await User.query().where('email', 'partage@exemple.fr')
    assert.lengthOf(sharedUsers, 1)
    const linked = await Guardian.query().where('email', 'partage@exemple.fr').orderBy('id')
    assert.deepEqual(
      linked.map((guardian) => guardian.userId),
      [sharedUsers[0].id, sharedUsers[0].id, sharedUsers[0].id]
    )
    const four = await User.findByOrFail('email', 'claire.4@exemple.fr')
    const five = await Family.query().where('reference', 'F00005').preload('guardians').firstOrFail()
    assert.equal(five.guardians.find((guardian) => guardian.position === 1)!.userId, four.id)
    // Created in the same batch, the first without a quotient: each keeps its own.
    assert.isNull(five.quotientSource)
    assert.equal((await Family.findByOrFail('reference', 'F00006')).quotientSource, 'CAF')

    const again = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY, batchSize: 3 })
    assert.deepEqual(again.families, { created: 0, updated: 0, unchanged: 7 })
    assert.equal(again.accounts, 0)
  })

  test('UTF-8 with BOM, commas, LF and quoted fields with line breaks', async ({ assert }) => {
    const rows = [familyRow(1, 1, { adresse: 'Résidence "Les Pins",\nbâtiment B', responsable1_prenom: 'Chloé' }), familyRow(2, 1)]
    const text = '\ufeff' + toCsvText(rows, { sep: ',', eol: '\n' })
    const result = await importFamilies(Buffer.from(text, 'utf8'), { today: TODAY })
    assert.deepEqual(result.errors, [])
    assert.equal(result.encoding, 'utf-8')
    assert.equal(result.delimiter, ',')
    const family = await Family.query().where('reference', 'F00001').preload('guardians').firstOrFail()
    assert.equal(family.address, 'Résidence "Les Pins",\nbâtiment B'.replace(/\s+/g, ' '))
    assert.equal(family.guardians[0].firstName, 'Chloé')
  })

  test('an empty column left by a spreadsheet (trailing separator) is ignored; headers in any case and order', async ({ assert }) => {
    const columns = [...ALL_COLUMNS].reverse()
    const text = toCsvText([familyRow(1, 1)], { columns })
      .split('\r\n')
      .map((line, index) => (line ? (index === 0 ? line.toUpperCase() : line) + ';' : line))
      .join('\r\n')
    const result = await importFamilies(Buffer.from(text), { today: TODAY })
    assert.deepEqual(result.errors, [])
    assert.equal(result.families.created, 1)
  })

  test('Windows-1252 with é, è, ç, œ, € and ’, semicolons and CRLF', async ({ assert }) => {
    const rows = [
      familyRow(1, 1, { responsable1_nom: 'N’Diaye', responsable1_prenom: 'Hélène', enfant_nom: 'N’Diaye', enfant_prenom: 'François', adresse: 'Résidence Cœur de ville, lot à 5 €', ecole: 'École Saint-Exupère' }),
    ]
    const buffer = iconv.encode(toCsvText(rows, { sep: ';', eol: '\r\n' }), 'win1252')
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer))
    const result = await importFamilies(buffer, { today: TODAY })
    assert.deepEqual(result.errors, [])
    assert.equal(result.encoding, 'windows-1252')
    assert.equal(result.delimiter, ';')
    const family = await Family.query().where('reference', 'F00001').preload('guardians').preload('children').firstOrFail()
    assert.equal(family.address, 'Résidence Cœur de ville, lot à 5 €')
    assert.equal(family.guardians[0].lastName, 'N’Diaye')
    assert.equal(family.guardians[0].firstName, 'Hélène')
    assert.equal(family.children[0].firstName, 'François')
    assert.equal(family.children[0].school, 'École Saint-Exupère')
  })

  test('a file with 3 bad rows: all 3 reported with line and column, nothing written', async ({ assert }) => {
    const rows = [
      familyRow(1, 1),
      familyRow(1, 2, { adresse: 'Autre adresse' }),
      familyRow(2, 1, { enfant_date_naissance: '31/02/2018' }),
      familyRow(3, 1, { responsable1_email: 'pas-un-courriel' }),
      familyRow(4, 1, { adresse: 'Sur deux\nlignes' }),
    ]
    const result = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY })
    assert.deepEqual(
      result.errors.map((e) => [e.line, e.column]),
      [
        [3, 'adresse'],
        [4, 'enfant_date_naissance'],
        [5, 'responsable1_email'],
      ]
    )
    assert.include(result.errors[0].reason, 'ligne 2')
    assert.include(result.errors[1].reason, 'date invalide')
    assert.include(result.errors[2].reason, 'adresse électronique invalide')
    assert.isFalse(result.imported)
    assert.deepEqual(await counts(), { families: 0, children: 0, guardians: 0 })
    const users = await User.query().count('* as n')
    assert.equal(Number(users[0].$extras.n), 0)
  })

  test('every reason: older than 18, duplicate child, unknown column, bad codes; --skip-invalid keeps valid families whole', async ({ assert }) => {
    const rows = [
      familyRow(1, 1, { enfant_date_naissance: '01/01/2005' }),
      familyRow(2, 1),
      familyRow(2, 1, { enfant_prenom: 'Autre' }),
      familyRow(3, 1, { enfant_sexe: 'X', regime: 'RSA', code_postal: '666' }),
      familyRow(4, 1),
      familyRow(4, 2),
      familyRow(5, 1, { enfant_date_naissance: '2030-01-01' }),
    ]
    const unknown = await importFamilies(Buffer.from(toCsvText(rows, { columns: [...ALL_COLUMNS, 'couleur'] })), { today: TODAY })
    assert.deepEqual(unknown.errors.map((e) => [e.line, e.column]), [[1, 'couleur']])

    const result = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY })
    const reasons = result.errors.map((e) => `${e.line}:${e.column}:${e.reason}`)
    assert.isTrue(reasons.some((r) => r.startsWith('2:enfant_date_naissance:enfant de plus de 18 ans')), reasons.join('\n'))
    assert.isTrue(reasons.some((r) => r.startsWith('4:enfant_ref:enfant en double')), reasons.join('\n'))
    assert.isTrue(reasons.some((r) => r.startsWith('5:enfant_sexe')))
    assert.isTrue(reasons.some((r) => r.startsWith('5:regime')))
    assert.isTrue(reasons.some((r) => r.startsWith('5:code_postal')))
    assert.isTrue(reasons.some((r) => r.startsWith('8:enfant_date_naissance:date de naissance dans le futur')))
    assert.deepEqual(await counts(), { families: 0, children: 0, guardians: 0 })

    const skipped = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY, skipInvalid: true })
    assert.sameMembers(skipped.skippedFamilies, ['F00001', 'F00002', 'F00003', 'F00005'])
    assert.deepEqual(skipped.families, { created: 1, updated: 0, unchanged: 0 })
    assert.deepEqual(await counts(), { families: 1, children: 2, guardians: 1 })

    const ignored = await importFamilies(Buffer.from(toCsvText([familyRow(9, 1)], { columns: [...ALL_COLUMNS, 'couleur'] })), { today: TODAY, ignoreUnknown: true })
    assert.deepEqual(ignored.errors, [])
    assert.equal(ignored.families.created, 1)
  })

  test('the Ace command reports bad rows and exits non-zero; imports the example file', async ({ assert }) => {
    await mkdir(app.tmpPath('dossier-tests'), { recursive: true })
    const bad = app.tmpPath('dossier-tests/bad.csv')
    await writeFile(bad, toCsvText([familyRow(1, 1, { enfant_date_naissance: 'hier' })]))
    ace.ui.switchMode('raw')
    try {
      const refused = await ace.create(ImportFamilies, [bad])
      await refused.exec()
      assert.equal(refused.exitCode, 1)
      const logs = refused.ui.logger.getLogs().map((log) => log.message).join('\n')
      assert.include(logs, 'ligne 2, colonne enfant_date_naissance')
      assert.include(logs, 'rien n’a été importé')

      const example = await ace.create(ImportFamilies, [app.makePath('modules/dossier/examples/familles_exemple.csv')])
      await example.exec()
      example.assertSucceeded()
      const summary = example.ui.logger.getLogs().map((log) => log.message).join('\n')
      assert.include(summary, 'familles : 3 créées')
      assert.include(summary, 'enfants : 4 créés')
    } finally {
      ace.ui.switchMode('normal')
    }
    const lya = await Child.findByOrFail('first_name', 'Lya')
    assert.equal(lya.birthDate, '2016-03-14')
  })
})

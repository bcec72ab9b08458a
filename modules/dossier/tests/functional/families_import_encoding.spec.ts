import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import iconv from 'iconv-lite'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import ace from '@adonisjs/core/services/ace'
import Family from '#modules/dossier/models/family'
import { User } from '#modules/accounts/index'
import ImportFamilies from '#modules/dossier/commands/import_families'
import { importFamilies } from '#modules/dossier/services/import/family_import'
import { familyRow, toCsvText } from '#modules/dossier/tests/import_rows'
import { asciiLetters } from '#core/french'

const TODAY = '2026-09-01'

/** Runs families:import in this process (its writes stay in the test's transaction). */
async function runImport(file: string, ...flags: string[]) {
  ace.ui.switchMode('raw')
  try {
    const command = await ace.create(ImportFamilies, [file, ...flags])
    await command.exec()
    return { exitCode: command.exitCode, logs: command.ui.logger.getLogs().map((log) => log.message).join('\n') }
  } finally {
    ace.ui.switchMode('normal')
  }
}

async function writeTmp(name: string, content: string | Buffer) {
  await mkdir(app.tmpPath('dossier-tests'), { recursive: true })
  const file = app.tmpPath(`dossier-tests/${name}`)
  await writeFile(file, content)
  return file
}

test.group('Dossier: families:import, encodings and skipped rows', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('--encoding=utf-8 on a Windows-1252 file: refused with its line and column, nothing written', async ({ assert }) => {
    const ascii = { ecole: 'Ecole du Village' }
    const rows = [familyRow(1, 1, ascii), familyRow(2, 1, { ...ascii, responsable1_nom: 'Lefèvre' })]
    const buffer = iconv.encode(toCsvText(rows), 'win1252')
    const familyCount = async () => Number((await Family.query().count('* as n'))[0].$extras.n)
    const before = await familyCount()

    const result = await importFamilies(buffer, { today: TODAY, encoding: 'utf-8' })
    assert.lengthOf(result.errors, 1)
    assert.equal(result.errors[0].line, 3)
    assert.equal(result.errors[0].column, 'responsable1_nom')
    assert.match(result.errors[0].reason, /^octet 0xE8 invalide en UTF-8 \(caractère \d+ de la ligne\) : le fichier n'est pas en UTF-8/)
    assert.isFalse(result.imported)

    const file = await writeTmp('lefevre-1252.csv', buffer)
    for (const flags of [['--encoding=utf-8'], ['--encoding=utf-8', '--skip-invalid']]) {
      const run = await runImport(file, ...flags)
      assert.equal(run.exitCode, 1, run.logs)
      assert.include(run.logs, 'ligne 3, colonne responsable1_nom')
      assert.include(run.logs, 'rien n’a été importé')
    }
    assert.equal(await familyCount(), before)

    // Without --encoding, the same file is recognised as Windows-1252 and read right.
    const detected = await importFamilies(buffer, { today: TODAY })
    assert.deepEqual(detected.errors, [])
    const family = await Family.query().where('reference', 'F00002').preload('guardians').firstOrFail()
    assert.equal(family.guardians[0].lastName, 'Lefèvre')
  })

  test('a UTF-8 file with a BOM and one stray byte is refused too', async ({ assert }) => {
    const text = Buffer.from('\uFEFF' + toCsvText([familyRow(1, 1)]), 'utf8')
    const broken = Buffer.concat([text.subarray(0, text.length - 10), Buffer.from([0xff]), text.subarray(text.length - 10)])
    const result = await importFamilies(broken, { today: TODAY })
    assert.lengthOf(result.errors, 1)
    assert.equal(result.errors[0].line, 2)
    assert.match(result.errors[0].reason, /^octet 0xFF invalide en UTF-8/)
  })

  test('--skip-invalid imports the valid families and still exits non-zero (a cron sees it)', async ({ assert }) => {
    const file = await writeTmp('one-bad.csv', toCsvText([familyRow(1, 1), familyRow(2, 1, { enfant_date_naissance: 'hier' })]))
    const run = await runImport(file, '--skip-invalid')
    assert.equal(run.exitCode, 1, run.logs)
    assert.include(run.logs, 'ligne 3, colonne enfant_date_naissance')
    assert.include(run.logs, 'familles : 1 créée')
    assert.include(run.logs, '1 famille écartée (erreurs ci-dessus) : les autres sont importées')
    assert.isNotNull(await Family.findBy('reference', 'F00001'))
    assert.isNull(await Family.findBy('reference', 'F00002'))

    const clean = await runImport(await writeTmp('clean.csv', toCsvText([familyRow(3, 1)])), '--skip-invalid')
    assert.equal(clean.exitCode, 0, clean.logs)
  })

  test('usernames spell out œ, æ, ß: « Françoise Cœur » is francoise.coeur', async ({ assert }) => {
    assert.equal(asciiLetters('Françoise Cœur, Lætitia Straße, Søren Łukasz'), 'Francoise Coeur, Laetitia Strasse, Soren Lukasz')
    const rows = [familyRow(1, 1, { responsable1_prenom: 'Françoise', responsable1_nom: 'Cœur', responsable1_email: 'francoise.coeur@exemple.fr' })]
    const result = await importFamilies(Buffer.from(toCsvText(rows)), { today: TODAY })
    assert.deepEqual(result.errors, [])
    const user = await User.findByOrFail('email', 'francoise.coeur@exemple.fr')
    assert.equal(user.username, 'francoise.coeur')
  })
})

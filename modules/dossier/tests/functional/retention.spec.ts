import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import ace from '@adonisjs/core/services/ace'
import Family from '#modules/dossier/models/family'
import { User } from '#modules/accounts/index'
import historyService from '#modules/dossier/services/history_service'
import PurgeFamilies from '#modules/dossier/commands/purge_families'
import { makeFamily } from '#modules/dossier/tests/fixtures'

async function age(familyId: number, years: number) {
  const old = DateTime.utc().minus({ years, days: 1 })
  const format = (await import('@adonisjs/lucid/services/db')).default.connection().dialect.dateTimeFormat
  await Family.query().where('id', familyId).update({ last_activity_at: old.toFormat(format), created_at: old.toFormat(format) })
}

test.group('Dossier: families:purge (retention)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('files without activity for 3 years are listed, then purged with their accounts and files', async ({ assert }) => {
    const old = await makeFamily('Ancienne')
    const recent = await makeFamily('Recente')
    const revived = await makeFamily('Revenue')
    await age(old.family.id, 4)
    await age(recent.family.id, 2)
    await age(revived.family.id, 4)
    await historyService.record(revived.family.id, { module: 'inscriptions', kind: 'test', text: 'Demande récente' })

    ace.ui.switchMode('raw')
    try {
      const dry = await ace.create(PurgeFamilies, [])
      await dry.exec()
      dry.assertSucceeded()
      const listed = dry.ui.logger.getLogs().map((log) => log.message).join('\n')
      assert.include(listed, old.family.reference)
      assert.notInclude(listed, recent.family.reference)
      assert.notInclude(listed, revived.family.reference)
      assert.isNotNull(await Family.find(old.family.id))

      const real = await ace.create(PurgeFamilies, ['--force'])
      await real.exec()
      real.assertSucceeded()
      assert.include(real.ui.logger.getLogs().map((log) => log.message).join('\n'), '1 dossier supprimé, 1 compte de parent, 1 fichier')
    } finally {
      ace.ui.switchMode('normal')
    }
    assert.isNull(await Family.find(old.family.id))
    assert.isNull(await User.find(old.user.id))
    assert.isFalse(await drive.use().exists(old.document.storageKey))
    assert.isNotNull(await Family.find(recent.family.id))
    assert.isNotNull(await User.find(recent.user.id))
    assert.isTrue(await drive.use().exists(recent.document.storageKey))
  })

  test('the preview is exactly what --force deletes, and names the families kept for their unpaid invoices', async ({ assert }) => {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const gone = await makeFamily('Partie')
    const owing = await makeFamily('Debitrice')
    await age(gone.family.id, 4)
    await age(owing.family.id, 4)
    // An unpaid invoice (billing's table: dossier cannot delete what billing must keep).
    await db.table('invoices').insert({
      family_id: owing.family.id, month: '2022-09', number: 'F-2022-999001', year: 2022, sequence: 999001,
      issued_on: '2022-10-02', due_date: '2022-10-31', total_cents: 2440, status: 'open', family_name: 'Debitrice', created_at: DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat),
    })

    ace.ui.switchMode('raw')
    try {
      const dry = await ace.create(PurgeFamilies, [])
      await dry.exec()
      if (dry.error) throw dry.error
      dry.assertSucceeded()
      const preview = dry.ui.logger.getLogs().map((log) => log.message).join('\n')
      assert.match(preview, new RegExp(`famille ${gone.family.reference} \\(dernière activité le [0-9/]+\\) : serait supprimée, avec 1 compte de parent et 1 fichier`))
      assert.include(preview, `famille ${owing.family.reference}`)
      assert.include(preview, 'conservée : 1 facture impayée (24,40')
      assert.include(preview, 'Simulation : 1 dossier serait supprimé, 1 compte de parent, 1 fichier ; 1 conservé.')
      assert.isNotNull(await Family.find(gone.family.id))
      assert.isNotNull(await User.find(gone.user.id))
      assert.isTrue(await drive.use().exists(gone.document.storageKey))

      const real = await ace.create(PurgeFamilies, ['--force'])
      await real.exec()
      real.assertSucceeded()
      const done = real.ui.logger.getLogs().map((log) => log.message).join('\n')
      assert.include(done, '1 dossier supprimé, 1 compte de parent, 1 fichier ; 1 conservé.')
      assert.include(done, 'conservée : 1 facture impayée (24,40')
    } finally {
      ace.ui.switchMode('normal')
    }
    assert.isNull(await Family.find(gone.family.id))
    assert.isNotNull(await Family.find(owing.family.id))
  })
})

import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { runAce } from '#tests/helpers/processes'
import { monthLabel } from '#modules/billing/services/billing_month'

test.group('billing commands', () => {
  test('billing:generate refuses a wrong month, and refuses to run when billing is off', async ({ assert }) => {
    const wrong = runAce(['billing:generate', '--month', '2026-13'])
    assert.equal(wrong.status, 1, wrong.output)
    assert.include(wrong.output, 'Mois invalide : « 2026-13 »')

    const off = runAce(['billing:generate', '--month', '2026-09'], { PORTAL_MODULES: 'accounts,dossier,news,inscriptions,planning' })
    assert.equal(off.status, 1, off.output)
    assert.include(off.output, 'appartient au module « billing », qui est désactivé')
  })

  test('billing:generate runs a month from planning and prints its summary', async ({ assert }) => {
    // A month nobody books: the run reads planning's feed and issues nothing, cleanly.
    const result = runAce(['billing:generate', '--month', '1999-01'])
    assert.equal(result.status, 0, result.output)
    assert.include(result.output, '0 facture émise pour janvier 1999')
    const audit = await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: '1999-01' })
    assert.lengthOf(audit, 1)
    await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: '1999-01' }).delete()
  })

  test('billing:generate refuses a month that has not ended, names the first day it can run, and runs it with --force', async ({ assert }) => {
    const today = DateTime.now().setZone('Europe/Paris')
    const month = today.toFormat('yyyy-MM')
    const current = runAce(['billing:generate', '--month', month])
    assert.equal(current.status, 1, current.output)
    assert.include(
      current.output,
      `Le mois de ${monthLabel(month)} n’est pas terminé : ses factures pourront être émises à partir du 1er ${today.plus({ months: 1 }).setLocale('fr').toFormat('LLLL yyyy')}. Pour les émettre quand même, relancez avec --force.`
    )
    assert.lengthOf(await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: month }), 0)

    const future = runAce(['billing:generate', '--month', '2099-01'])
    assert.equal(future.status, 1, future.output)
    assert.include(future.output, 'Le mois de janvier 2099 n’est pas terminé : ses factures pourront être émises à partir du 1er février 2099.')
    assert.lengthOf(await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: '2099-01' }), 0)

    const forced = runAce(['billing:generate', '--month', '2099-01', '--force'])
    assert.equal(forced.status, 0, forced.output)
    assert.include(forced.output, '0 facture émise pour janvier 2099')
    assert.lengthOf(await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: '2099-01' }), 1)
    await db.from('audit_logs').where({ subject_type: 'billing_month', subject_id: '2099-01' }).delete()
  })
})

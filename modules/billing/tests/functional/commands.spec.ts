import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { runAce } from '#tests/helpers/processes'

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
})

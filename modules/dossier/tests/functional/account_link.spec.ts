import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { accountService } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import { makeFamily } from '#modules/dossier/tests/fixtures'
import { runAce } from '#tests/helpers/processes'

test.group('Dossier: a deleted login leaves the family file whole', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('accounts deletes the login; the guardian stays, without the link (the dossier key says so)', async ({ assert }) => {
    const { user, family, guardian } = await makeFamily('Lien')
    await accountService.deleteLogin(user)
    const kept = await Guardian.findOrFail(guardian.id)
    assert.isNull(kept.userId)
    assert.exists(await Family.find(family.id))
  })
})

test.group("Dossier answers accounts' question: the logins of a family (accounts:send-activations --family)", () => {
  test('--family selects the pending accounts of that family only; with dossier off the command says so', async ({ assert }) => {
    // The command runs in another process: these rows are committed, and removed at the end.
    const mine = await makeFamily('Activation')
    const other = await makeFamily('Ailleurs')
    try {
      for (const user of [mine.user, other.user]) {
        user.merge({ state: 'pending', activationSentAt: null })
        await user.save()
      }
      const run = runAce(['accounts:send-activations', '--family', mine.family.reference, '--dry-run'])
      assert.equal(run.status, 0, run.output)
      assert.include(run.output, "Simulation : 1 compte recevrait un lien d'activation.")
      assert.include(run.output, `${mine.user.username} <${mine.user.email}>`)
      assert.notInclude(run.output, other.user.username)

      const off = runAce(['accounts:send-activations', '--family', mine.family.reference, '--dry-run'], { PORTAL_MODULES: 'accounts' })
      assert.equal(off.status, 1, off.output)
      assert.include(off.output, "aucun module activé ne gère les familles (module dossier désactivé) ; rien n'a été envoyé")
    } finally {
      for (const { family, user } of [mine, other]) {
        await family.delete()
        await user.delete()
      }
    }
  }).timeout(120_000)
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { accountService } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import { makeFamily } from '#modules/dossier/tests/fixtures'

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

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { User } from '#modules/accounts/index'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'

/** The one family policy every module asks (dossier's FamilyPolicy.actAsParent). */
test.group('Family policy: who acts for a family on the parents pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a guardian reaches the parents pages of every module', async ({ client }) => {
    const { user } = await makeFamily('Politique')
    for (const url of ['/dossier', '/inscriptions', '/planning']) {
      const response = await client.get(url).loginAs(user)
      response.assertStatus(200)
    }
  })

  test('an agent is refused the family file with the way to the staff pages; the planning says it has no file', async ({ client, assert }) => {
    const agent = await makeStaff()
    const response = await client.get('/dossier').loginAs(agent)
    response.assertStatus(403)
    assert.include(pageText(response), 'Les agents consultent les dossiers depuis Gestion > Familles.')
    const planning = await client.get('/planning').loginAs(agent)
    planning.assertStatus(200)
    assert.include(pageText(planning), "Votre compte n'est rattaché à aucun dossier famille")
  })

  test('an account linked to no family file is refused with what to do', async ({ client, assert }) => {
    const lonely = await User.create({
      username: `sans-dossier-${Date.now().toString(36)}`,
      email: `sans-dossier-${Date.now().toString(36)}@exemple.fr`,
      fullName: 'Sans Dossier',
      role: 'parent',
      state: 'active',
      password: 'Un-mot-de-passe-solide-2026',
    })
    for (const url of ['/dossier', '/inscriptions']) {
      const response = await client.get(url).loginAs(lonely)
      response.assertStatus(403)
      assert.include(pageText(response), "Aucun dossier famille n'est rattaché à votre compte : contactez le service.", url)
    }
  })
})

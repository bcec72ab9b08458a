import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import { drain } from '#modules/accounts/services/background'
import { CookieAgent, clearOutbox, linkIn, mailsTo } from '#modules/accounts/tests/helpers'
import { LINKABLE, signInWithFranceConnect, useFranceConnectStandIn } from '#modules/accounts/tests/franceconnect'
import { createFamily } from '#tests/helpers/factories'
import { CGU_VERSION } from '#modules/accounts/index'

test.group('FranceConnect: an identity that matches a guardian', (group) => {
  const fc = useFranceConnectStandIn(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.setup(() => clearOutbox())

  test('offers to link after a confirmation mailed to the account, single use', async ({ assert }) => {
    const email = `christine.${Date.now()}@exemple.fr`
    const { users } = await createFamily({
      lastName: 'Guerucci',
      guardians: [{ firstName: 'Christine', lastName: 'Guerucci', birthDate: LINKABLE.birthdate, account: { email, state: 'active', cguVersion: CGU_VERSION } }],
    })
    const agent = new CookieAgent()
    const back = await signInWithFranceConnect(agent, fc.standIn, LINKABLE.sub)
    assert.equal(back.location, '/connexion/franceconnect/inconnue')
    const page = await agent.get('/connexion/franceconnect/inconnue')
    assert.include(page.text, 'RECEVOIR LE LIEN DE CONFIRMATION')
    assert.notInclude(page.text, email)

    await agent.post('/connexion/franceconnect/inconnue', {}, '/connexion/franceconnect/inconnue')
    await drain()
    const [mail] = await mailsTo(email)
    const link = new URL(linkIn(mail, '/connexion/franceconnect/relier'))
    assert.isNull(await FranceconnectLink.findBy('userId', users[0].id))

    const confirm = await agent.post(link.pathname, {}, link.pathname)
    assert.equal(confirm.location, '/connexion')
    assert.equal((await FranceconnectLink.findByOrFail('userId', users[0].id)).sub, LINKABLE.sub)
    assert.equal((await agent.get(link.pathname)).status, 410)

    const signIn = await signInWithFranceConnect(new CookieAgent(), fc.standIn, LINKABLE.sub)
    assert.equal(signIn.location, '/accueil')
  })

  test('two guardians bearing the identity: no offer', async ({ assert }) => {
    for (let i = 0; i < 2; i++) {
      await createFamily({ guardians: [{ firstName: 'Christine', lastName: 'Guerucci', birthDate: LINKABLE.birthdate, account: { state: 'active' } }] })
    }
    const agent = new CookieAgent()
    await signInWithFranceConnect(agent, fc.standIn, LINKABLE.sub)
    assert.notInclude((await agent.get('/connexion/franceconnect/inconnue')).text, 'RECEVOIR LE LIEN')
  })
})

import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import { FAILURES } from '#modules/accounts/controllers/franceconnect_controller'
import { CookieAgent, GOOD_PASSWORD, makeUser } from '#modules/accounts/tests/helpers'
import { LINKABLE, UNKNOWN, signInWithFranceConnect, throughFranceConnect, useFranceConnectStandIn } from '#modules/accounts/tests/franceconnect'


async function signedIn(username: string) {
  const agent = new CookieAgent()
  const login = await agent.post('/connexion', { username, password: GOOD_PASSWORD })
  if (login.status !== 302 || login.location === '/connexion') throw new Error('connexion par mot de passe refusée')
  return agent
}

async function auditActions(userId: number) {
  return (await db.from('audit_logs').where({ subject_type: 'user', subject_id: String(userId) }).orderBy('id')).map((row) => row.action)
}

test.group('FranceConnect: not configured', () => {
  test('no button, and its addresses answer 404', async ({ assert }) => {
    const agent = new CookieAgent()
    const page = await agent.get('/connexion')
    assert.notInclude(page.text, 'FranceConnect')
    assert.equal((await agent.post('/connexion/franceconnect', {}, '/connexion')).status, 404)
    assert.equal((await agent.get('/connexion/franceconnect/retour?code=x&state=y')).status, 404)
  })
})

test.group('FranceConnect: through the local stand-in', (group) => {
  const fc = useFranceConnectStandIn(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('the login page shows the button and what FranceConnect is', async ({ assert }) => {
    const page = await new CookieAgent().get('/connexion')
    assert.include(page.text, 'action="/connexion/franceconnect"')
    assert.match(page.text, /S.identifier avec<\/span>\s*<span class="franceconnect__brand">FranceConnect/)
    assert.include(page.text, 'href="https://franceconnect.gouv.fr/"')
  })

  test('the authorization request carries state, nonce, PKCE, eidas1 and the scopes', async ({ assert }) => {
    const agent = new CookieAgent()
    const start = await agent.post('/connexion/franceconnect', {}, '/connexion')
    assert.equal(start.status, 302)
    const url = new URL(start.location!)
    assert.equal(url.origin + url.pathname, `${fc.standIn.issuer}/authorize`)
    const params = url.searchParams
    assert.equal(params.get('acr_values'), 'eidas1')
    assert.equal(params.get('code_challenge_method'), 'S256')
    assert.isAtLeast(params.get('nonce')!.length, 22)
    assert.isAtLeast(params.get('state')!.length, 22)
    assert.includeMembers(params.get('scope')!.split(' '), ['openid', 'given_name', 'family_name', 'birthdate'])
  })

  test('link from Mon compte (password first), then sign in with FranceConnect, then sign out through it', async ({ assert }) => {
    const user = await makeUser()
    const agent = await signedIn(user.username)

    const wrong = await agent.post('/mon-compte/franceconnect', { franceconnect_password: 'Pas-Le-Bon-2026' }, '/mon-compte')
    assert.equal(wrong.location, '/mon-compte')
    assert.isNull(await FranceconnectLink.findBy('userId', user.id))

    const start = await agent.post('/mon-compte/franceconnect', { franceconnect_password: GOOD_PASSWORD }, '/mon-compte')
    assert.match(start.location!, /^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/authorize\?/)
    const back = await throughFranceConnect(agent, fc.standIn, start, { sub: LINKABLE.sub })
    assert.equal(back.location, '/mon-compte')
    const link = await FranceconnectLink.findByOrFail('userId', user.id)
    assert.equal(link.sub, LINKABLE.sub)
    assert.include((await agent.get('/mon-compte')).text, 'FranceConnect est relié à votre compte')

    const anotherBrowser = new CookieAgent()
    const signIn = await signInWithFranceConnect(anotherBrowser, fc.standIn, LINKABLE.sub)
    assert.equal(signIn.location, '/accueil')
    assert.equal((await anotherBrowser.get('/mon-compte')).status, 200)
    assert.includeMembers(await auditActions(user.id), ['accounts.franceconnect.linked', 'accounts.franceconnect.login'])

    // Sign out: through FranceConnect's end-session page, then back to the portal.
    const logout = await anotherBrowser.post('/deconnexion', {}, '/mon-compte')
    const endSession = new URL(logout.location!)
    assert.equal(endSession.pathname, '/api/v2/session/end')
    assert.isNotNull(endSession.searchParams.get('id_token_hint'))
    assert.isNotNull(endSession.searchParams.get('state'))
    const done = await throughFranceConnect(anotherBrowser, fc.standIn, logout, { sub: LINKABLE.sub })
    assert.equal(done.location, '/')
    assert.equal((await anotherBrowser.get('/mon-compte')).location, '/connexion')
  })

  test('a state that does not match is refused, nobody is signed in', async ({ assert }) => {
    const user = await makeUser()
    await FranceconnectLink.create({ userId: user.id, sub: LINKABLE.sub, linkedAt: (await import('luxon')).DateTime.utc() })
    const agent = new CookieAgent()
    const start = await agent.post('/connexion/franceconnect', {}, '/connexion')
    // FranceConnect's answer to another request (another tab, an attacker's link): another state.
    const intruder = new CookieAgent()
    const theirs = await intruder.post('/connexion/franceconnect', {}, '/connexion')
    const provider = new CookieAgent({ base: fc.standIn.url })
    const callback = await throughFranceConnect(intruder, fc.standIn, theirs, { sub: LINKABLE.sub }, provider).catch(() => null)
    assert.isNotNull(callback)
    // Replaying the intruder's callback in our browser (our session holds another state).
    const forged = await agent.get(`/connexion/franceconnect/retour?code=abc&state=${new URL(start.location!).searchParams.get('state')}x`)
    assert.equal(forged.location, '/connexion')
    const page = await agent.get('/connexion')
    assert.include(page.text, FAILURES.state)
    assert.notInclude(page.text, 'Error')
    assert.equal((await agent.get('/mon-compte')).location, '/connexion')
  })

  test('cancelling at FranceConnect says so on the login page', async ({ assert }) => {
    const agent = new CookieAgent()
    const start = await agent.post('/connexion/franceconnect', {}, '/connexion')
    const back = await throughFranceConnect(agent, fc.standIn, start, { cancel: true })
    assert.equal(back.location, '/connexion')
    assert.include((await agent.get('/connexion')).text, FAILURES.cancelled)
  })

  test('an unknown identity creates no account and no family, and says how to get an account', async ({ assert }) => {
    const count = async (table: string) => Number((await db.from(table).count('* as total'))[0].total)
    const before = { users: await count('users'), families: await count('families'), links: await count('franceconnect_links') }
    const agent = new CookieAgent()
    const back = await signInWithFranceConnect(agent, fc.standIn, UNKNOWN.sub)
    assert.equal(back.location, '/connexion/franceconnect/inconnue')
    const page = await agent.get('/connexion/franceconnect/inconnue')
    assert.equal(page.status, 200)
    assert.include(page.text, 'Comment obtenir un compte')
    assert.include(page.text, 'Angela Claire Louise DUBOIS')
    assert.notInclude(page.text, 'RECEVOIR LE LIEN')
    assert.deepEqual({ users: await count('users'), families: await count('families'), links: await count('franceconnect_links') }, before)
    assert.equal((await agent.get('/mon-compte')).location, '/connexion')
  })

  test('FranceConnect unreachable: a sentence on the login page, no stack trace', async ({ assert }) => {
    const issuer = process.env.FRANCECONNECT_ISSUER
    process.env.FRANCECONNECT_ISSUER = 'http://127.0.0.1:9/api/v2'
    try {
      const agent = new CookieAgent()
      const start = await agent.post('/connexion/franceconnect', {}, '/connexion')
      assert.equal(start.location, '/connexion')
      const page = await agent.get('/connexion')
      assert.include(page.text, FAILURES.unreachable)
      assert.notInclude(page.text, 'ECONNREFUSED')
    } finally {
      process.env.FRANCECONNECT_ISSUER = issuer
    }
  })

  test('unlink after a confirmation page; another user cannot unlink someone else', async ({ assert }) => {
    const [owner, other] = [await makeUser(), await makeUser()]
    const { DateTime } = await import('luxon')
    await FranceconnectLink.create({ userId: owner.id, sub: LINKABLE.sub, linkedAt: DateTime.utc() })

    const intruder = await signedIn(other.username)
    assert.equal((await intruder.get('/mon-compte/franceconnect/delier')).location, '/mon-compte')
    await intruder.post('/mon-compte/franceconnect/delier', {}, '/mon-compte')
    assert.isNotNull(await FranceconnectLink.findBy('userId', owner.id))

    const agent = await signedIn(owner.username)
    const confirm = await agent.get('/mon-compte/franceconnect/delier')
    assert.include(confirm.text, 'DÉLIER FRANCECONNECT')
    const done = await agent.post('/mon-compte/franceconnect/delier', {}, '/mon-compte/franceconnect/delier')
    assert.equal(done.location, '/mon-compte')
    assert.isNull(await FranceconnectLink.findBy('userId', owner.id))
    assert.include(await auditActions(owner.id), 'accounts.franceconnect.unlinked')

    const signIn = await signInWithFranceConnect(new CookieAgent(), fc.standIn, LINKABLE.sub)
    assert.equal(signIn.location, '/connexion/franceconnect/inconnue')
  })

  test('an identity already linked to another account is not linked twice', async ({ assert }) => {
    const [first, second] = [await makeUser(), await makeUser()]
    const { DateTime } = await import('luxon')
    await FranceconnectLink.create({ userId: first.id, sub: LINKABLE.sub, linkedAt: DateTime.utc() })
    const agent = await signedIn(second.username)
    const start = await agent.post('/mon-compte/franceconnect', { franceconnect_password: GOOD_PASSWORD }, '/mon-compte')
    await throughFranceConnect(agent, fc.standIn, start, { sub: LINKABLE.sub })
    assert.isNull(await FranceconnectLink.findBy('userId', second.id))
    assert.include((await agent.get('/mon-compte')).text, 'déjà reliée à un autre compte')
  })

  test('CSRF: the button, linking and unlinking refuse a form without its token', async ({ assert }) => {
    const user = await makeUser()
    const { DateTime } = await import('luxon')
    await FranceconnectLink.create({ userId: user.id, sub: LINKABLE.sub, linkedAt: DateTime.utc() })
    assert.equal((await new CookieAgent().send('/connexion/franceconnect', {}, 'faux')).status, 419)
    const agent = await signedIn(user.username)
    assert.equal((await agent.send('/mon-compte/franceconnect', { franceconnect_password: GOOD_PASSWORD }, 'faux')).status, 419)
    assert.equal((await agent.send('/mon-compte/franceconnect/delier', {}, 'faux')).status, 419)
    assert.isNotNull(await FranceconnectLink.findBy('userId', user.id))
  })
})

import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { SessionCollection } from '@adonisjs/session'
import { SESSION_DATA_COOKIE } from '#core/tiered_session_store'
import sessionService from '#modules/accounts/services/session_service'
import { CookieAgent, GOOD_PASSWORD, makeUser } from '#modules/accounts/tests/helpers'

const SESSION_COOKIE = 'portail-session'

/** The session id the agent's browser holds (the signed cookie's value, unsigned). */
function sessionIdOf(agent: CookieAgent) {
  const signed = decodeURIComponent(agent.jar.get(SESSION_COOKIE) ?? '')
  const payload = signed.replace(/^s:/, '').split('.')[0]
  return JSON.parse(Buffer.from(payload, 'base64url').toString()).message as string
}

async function serverSession(agent: CookieAgent) {
  const sessions = await app.container.make(SessionCollection)
  return sessions.get(sessionIdOf(agent))
}

test.group('Sessions: a visitor in a cookie, a signed-in user server-side', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('a visitor gets a working form and no server-side session', async ({ assert }) => {
    const visitor = new CookieAgent()
    const token = await visitor.csrfToken('/connexion')
    assert.isTrue(visitor.jar.has(SESSION_DATA_COOKIE))
    assert.isNull(await serverSession(visitor))
    // The CSRF secret travelled in the cookie: the form is accepted (a refused login, not a 419).
    const answer = await visitor.send('/connexion', { username: 'personne', password: 'x' }, token)
    assert.equal(answer.status, 302)
    assert.isNull(await serverSession(visitor))
  })

  test('signing in moves the session server-side, tagged with the user, and ending it signs out', async ({ assert }) => {
    const parent = await makeUser()
    const device = new CookieAgent()
    const login = await device.post('/connexion', { username: parent.username, password: GOOD_PASSWORD })
    assert.equal(login.location, '/accueil')
    const stored = await serverSession(device)
    assert.equal(stored?.auth_web, parent.id)
    const sessions = await app.container.make(SessionCollection)
    assert.include((await sessions.tagged(String(parent.id))).map((session) => session.id), sessionIdOf(device))
    assert.equal((await device.get('/accueil')).status, 200)

    await sessionService.endSessions(parent.id)
    assert.equal((await device.get('/accueil')).location, '/connexion')
  })

  test('a data cookie claiming a signed-in user is not believed', async ({ client }) => {
    const parent = await makeUser()
    const response = await client
      .get('/accueil')
      .withCookie(SESSION_COOKIE, 'forged-session-id')
      .withEncryptedCookie(SESSION_DATA_COOKIE, { id: 'forged-session-id', data: { auth_web: parent.id } })
      .redirects(0)
    response.assertHeader('location', '/connexion')
  })

  test('a visitor session too big for a cookie goes server-side and keeps what was typed', async ({ assert }) => {
    const visitor = new CookieAgent()
    const typed = 'parent.' + 'a'.repeat(3000)
    const answer = await visitor.post('/connexion', { username: typed, password: 'x' })
    assert.equal(answer.location, '/connexion')
    const stored = await serverSession(visitor)
    assert.isNotNull(stored)
    assert.notProperty(stored!, 'auth_web')
    const page = await visitor.get('/connexion')
    assert.include(page.text, typed)
  })

  test('the session id cookie is sent when it changes, not on every response, and ends with the browser', async ({ assert }) => {
    const parent = await makeUser()
    const device = new CookieAgent()
    const idCookie = () => device.lastSetCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}=`))

    const token = await device.csrfToken('/connexion')
    assert.lengthOf(idCookie(), 1, 'a new visitor gets an id')
    for (const line of device.lastSetCookies) assert.notMatch(line, /Max-Age|Expires/i, 'session cookies end with the browser')
    const visitorId = sessionIdOf(device)
    await device.get('/connexion')
    assert.lengthOf(idCookie(), 0, 'the same id is not sent again')

    await device.send('/connexion', { username: parent.username, password: GOOD_PASSWORD }, token)
    assert.lengthOf(idCookie(), 1, 'signing in gives a new id')
    assert.notEqual(sessionIdOf(device), visitorId)
    assert.equal((await device.get('/accueil')).status, 200)
    assert.lengthOf(idCookie(), 0)
    assert.equal((await device.get('/planning')).status, 200)
  })
})

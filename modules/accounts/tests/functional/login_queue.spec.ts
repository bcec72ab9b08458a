import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { checkSignIn } from '#modules/accounts/services/login_service'
import { comeBackInSeconds, loginQueue, passwordChecks } from '#modules/accounts/services/password_hashing'
import { CookieAgent, GOOD_PASSWORD, holdEveryCheck, makeUser, restoreQueueBoundAfterEach, spyOnVerifications, until } from '#modules/accounts/tests/helpers'
import { runAce } from '#tests/helpers/processes'

function login(client: any, username: string, password: string) {
  return client.post('/connexion').form({ username, password }).withCsrfToken().redirects(0)
}

test.group('Login queue: past its bound, a login is told when to come back', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  restoreQueueBoundAfterEach(group)

  test('a login that would wait too long is answered at once: message, name kept, nothing verified nor spent', async ({ client, assert }) => {
    const user = await makeUser()
    const spy = spyOnVerifications()
    const held = await holdEveryCheck()
    try {
      // Any wait is too long: with every slot taken, the next login is turned away.
      loginQueue.maxWaitMs = 0
      // More refusals than the account's 5 attempts a minute: none of them spends one.
      for (let i = 0; i < 6; i++) {
        const response = await login(client, user.username, GOOD_PASSWORD)
        response.assertStatus(302)
        response.assertHeader('location', '/connexion')
        const flash = response.flashMessages()
        assert.match(flash.formError, /^De nombreuses familles se connectent en ce moment : votre connexion n'a pas pu être traitée\. Réessayez dans \d+ secondes\.$/)
        assert.equal(flash.username, user.username)
        assert.notProperty(flash, 'password')
      }
      assert.deepEqual(spy.seen, [])
    } finally {
      await held.release()
      spy.restore()
    }
    const signedIn = await login(client, user.username, GOOD_PASSWORD)
    assert.notEqual(signedIn.header('location'), '/connexion')
  })

  test('the login page shows the message, with the name typed', async ({ assert }) => {
    const user = await makeUser()
    const held = await holdEveryCheck()
    const browser = new CookieAgent()
    try {
      loginQueue.maxWaitMs = 0
      const answer = await browser.send('/connexion', { username: user.username, password: GOOD_PASSWORD }, await browser.csrfToken('/connexion'))
      assert.equal(answer.location, '/connexion')
    } finally {
      await held.release()
    }
    const page = (await browser.get('/connexion')).text
    assert.include(page, 'De nombreuses familles se connectent en ce moment')
    assert.match(page, new RegExp(`name="username"[^>]*value="${user.username}"|value="${user.username}"[^>]*name="username"`))
  })

  test('within the bound, a login waits its turn and signs in', async ({ client, assert }) => {
    const user = await makeUser()
    const held = await holdEveryCheck()
    // The api client sends a request when it is awaited: Promise.resolve sends it now.
    const waiting = Promise.resolve(login(client, user.username, GOOD_PASSWORD))
    try {
      await until(() => passwordChecks.waiting === 1)
    } finally {
      await held.release()
    }
    const response = await waiting
    assert.notEqual(response.header('location'), '/connexion')
  })

  test('a login whose browser left while it waited costs no password check and spends no attempt', async ({ assert }) => {
    const user = await makeUser()
    const spy = spyOnVerifications()
    const browser = new CookieAgent()
    const csrf = await browser.csrfToken('/connexion')
    const held = await holdEveryCheck()
    try {
      const leaving = new AbortController()
      const sent = browser.send('/connexion', { username: user.username, password: 'Mauvais-mot-de-passe-1' }, csrf, {}, leaving.signal).catch((error) => error)
      await until(() => passwordChecks.waiting === 1)
      leaving.abort()
      assert.equal((await sent).name, 'AbortError')
      // The server sees the connection closed at its next turns of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 200))
    } finally {
      await held.release()
    }
    await until(() => passwordChecks.waiting === 0)
    await passwordChecks.run(async () => {})
    await new Promise((resolve) => setTimeout(resolve, 200))
    spy.restore()
    assert.deepEqual(spy.seen, [])
    // The account's 5 attempts are all there: 5 wrong passwords are verified, the 6th is refused.
    for (let i = 0; i < 5; i++) {
      const wrong = await new CookieAgent().post('/connexion', { username: user.username, password: `Mauvais-${i}-2026xx` })
      assert.equal(wrong.location, '/connexion')
    }
    const sixth = new CookieAgent()
    await sixth.post('/connexion', { username: user.username, password: GOOD_PASSWORD })
    assert.include((await sixth.get('/connexion')).text, 'Trop de tentatives')
  })

  test('the service: a login whose turn comes after its browser left looks nothing up', async ({ assert }) => {
    const user = await makeUser()
    const spy = spyOnVerifications()
    const held = await holdEveryCheck()
    const check = checkSignIn(user.username, GOOD_PASSWORD, '203.0.113.9', () => true)
    await held.release()
    spy.restore()
    assert.deepEqual(await check, { abandoned: true })
    assert.deepEqual(spy.seen, [])
  })

  test('the time to come back: when half the bound is left to wait, in whole 5 s, at least 10 s', ({ assert }) => {
    assert.equal(comeBackInSeconds(45_000, 30_000), 30)
    assert.equal(comeBackInSeconds(31_000, 30_000), 20)
    assert.equal(comeBackInSeconds(500, 0), 10)
    assert.equal(comeBackInSeconds(200_000, 30_000), 185)
  })

  test('LOGIN_MAX_WAIT_SECONDS is checked at start', ({ assert }) => {
    const refused = runAce(['portal:modules'], { LOGIN_MAX_WAIT_SECONDS: '0' })
    assert.notEqual(refused.status, 0, refused.output)
    assert.include(refused.output, "LOGIN_MAX_WAIT_SECONDS : « 0 » n'est pas une durée valide : un nombre de secondes de 1 à 600 (30 par défaut).")
  })
})

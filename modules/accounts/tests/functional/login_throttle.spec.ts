import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { LOGIN_REFUSED } from '#modules/accounts/controllers/session_controller'
import { CookieAgent, GOOD_PASSWORD, makeUser, spyOnVerifications } from '#modules/accounts/tests/helpers'

function login(client: any, username: string, password: string, headers: Record<string, string> = {}) {
  let request = client.post('/connexion').form({ username, password }).withCsrfToken().redirects(0)
  for (const [name, value] of Object.entries(headers)) request = request.header(name, value)
  return request
}

/**
 * Sends the logins at the same instant, each from its own browser (session and CSRF token
 * fetched first); answers with where it went and the message the login page then shows.
 */
async function burst(passwords: string[], username: string) {
  const agents = passwords.map(() => new CookieAgent())
  const tokens = await Promise.all(agents.map((agent) => agent.csrfToken('/connexion')))
  const answers = await Promise.all(agents.map((agent, i) => agent.send('/connexion', { username, password: passwords[i] }, tokens[i])))
  return Promise.all(
    answers.map(async (answer, i) => {
      const page = answer.location === '/connexion' ? (await agents[i].get('/connexion')).text : ''
      return { password: passwords[i], location: answer.location, throttled: page.includes('Trop de tentatives') }
    })
  )
}

test.group('Login throttling', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  // The last test leaves this address throttled: the next file's logins must not inherit it.
  group.teardown(() => limiter.clear(['memory']))

  test('the budget is the account: after 5 failures with the name, the email is refused too', async ({ client, assert }) => {
    const user = await makeUser()
    for (let i = 0; i < 5; i++) await login(client, user.username, `Mauvais-${i}-2026xx`)
    for (const typed of [user.email!, user.email!.toUpperCase(), ` ${user.username.toUpperCase()} `]) {
      const response = await login(client, typed, GOOD_PASSWORD)
      response.assertHeader('location', '/connexion')
      assert.match(response.flashMessages().formError, /Trop de tentatives.*patientez \d+ minutes?/)
    }
  })

  test('the budget follows the account from any address', async ({ client, assert }) => {
    const user = await makeUser()
    for (let i = 0; i < 5; i++) await login(client, user.username, `Mauvais-${i}-2026xx`)
    const elsewhere = await login(client, user.email!, GOOD_PASSWORD, { 'x-forwarded-for': '198.51.100.23' })
    assert.match(elsewhere.flashMessages().formError, /Trop de tentatives/)
  })

  test('20 wrong passwords sent at the same instant verify at most 5, then the right one is refused', async ({ assert }) => {
    const user = await makeUser()
    const spy = spyOnVerifications()
    try {
      const answers = await burst(
        Array.from({ length: 20 }, (_, i) => `Mauvais-${i}-2026xx`),
        user.username
      )
      assert.isAtMost(spy.seen.length, 5)
      assert.isAtLeast(spy.seen.length, 1)
      assert.isTrue(answers.every((answer) => answer.location === '/connexion'))
      assert.isAtLeast(answers.filter((answer) => answer.throttled).length, 15)

      const right = (await burst([GOOD_PASSWORD], user.email!))[0]
      assert.deepEqual(right, { password: GOOD_PASSWORD, location: '/connexion', throttled: true })
      assert.isAtMost(spy.seen.length, 5)
    } finally {
      spy.restore()
    }
  })

  test('15 wrong and 1 right at the same instant verify at most 5; the right one gets in only if it was among them', async ({ assert }) => {
    const user = await makeUser()
    const passwords = Array.from({ length: 15 }, (_, i) => `Mauvais-${i}-2026xx`)
    passwords.splice(7, 0, GOOD_PASSWORD)
    const spy = spyOnVerifications()
    try {
      const answers = await burst(passwords, user.username)
      assert.isAtMost(spy.seen.length, 5)
      const right = answers.find((answer) => answer.password === GOOD_PASSWORD)!
      if (spy.seen.includes(GOOD_PASSWORD)) assert.equal(right.location, '/accueil')
      else assert.deepInclude(right, { location: '/connexion', throttled: true })
      assert.isTrue(answers.filter((answer) => answer.password !== GOOD_PASSWORD).every((answer) => answer.location === '/connexion'))
    } finally {
      spy.restore()
    }
  })

  test('an unknown name costs one verification too and answers the same, then is throttled the same', async ({ client, assert }) => {
    const known = await makeUser()
    const spy = spyOnVerifications()
    const answers: string[] = []
    try {
      for (const name of [known.username, 'personne.inconnue']) {
        for (let i = 0; i < 6; i++) answers.push((await login(client, name, `Mauvais-${i}-2026xx`)).flashMessages().formError)
      }
    } finally {
      spy.restore()
    }
    assert.lengthOf(spy.seen, 10)
    assert.deepEqual(answers.slice(0, 6).map((m) => m.replace(/\d+ minutes?/, 'N')), answers.slice(6).map((m) => m.replace(/\d+ minutes?/, 'N')))
    assert.deepEqual(answers.slice(0, 4), Array(4).fill(LOGIN_REFUSED))
    assert.match(answers[4], /Trop de tentatives/)
  })

  test('40 parents behind one address logging in at the same instant all get in', async ({ assert }) => {
    const parents = await Promise.all(Array.from({ length: 40 }, () => makeUser()))
    const agents = parents.map(() => new CookieAgent())
    const tokens = await Promise.all(agents.map((agent) => agent.csrfToken('/connexion')))
    const answers = await Promise.all(
      agents.map((agent, i) => agent.send('/connexion', { username: parents[i].username, password: GOOD_PASSWORD }, tokens[i]))
    )
    assert.deepEqual(
      answers.map((answer) => answer.location),
      Array(40).fill('/accueil')
    )
  }).timeout(60_000)

  test('X-Forwarded-For is ignored when no proxy is trusted: changing it does not escape the address budget', async ({ client, assert }) => {
    for (let i = 0; i < 30; i++) {
      await login(client, `essai${i}`, 'Mauvais-Mot-2026', { 'x-forwarded-for': `203.0.113.${i + 1}` })
    }
    const user = await makeUser()
    const response = await login(client, user.username, GOOD_PASSWORD, { 'x-forwarded-for': '203.0.113.200' })
    assert.match(response.flashMessages().formError, /Trop de tentatives.*15 minutes/)
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import { createUser } from '#tests/helpers/users'

const base = () => `http://${env.get('HOST')}:${env.get('PORT')}`

/** One visitor's first look at the public home: its nonce (header) and CSRF token (page). */
async function visit(agent?: CookieAgent) {
  const response = await fetch(base() + '/', { headers: agent ? { cookie: [...agent.jar].map(([n, v]) => `${n}=${v}`).join('; ') } : {} })
  const html = await response.text()
  return {
    html,
    headerNonce: /nonce-([A-Za-z0-9_-]+)/.exec(response.headers.get('content-security-policy') ?? '')?.[1],
    pageNonces: [...html.matchAll(/nonce="([^"]*)"/g)].map((match) => match[1]),
    token: /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(html)?.[1],
  }
}

/** The public home page is rendered once and served again: each visitor keeps its own nonce and token. */
test.group('Public home page shared by visitors', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every visitor gets the same page with its own CSP nonce and CSRF token', async ({ assert }) => {
    const first = await visit()
    const second = await visit()
    const third = await visit()
    for (const page of [first, second, third]) {
      assert.isNotEmpty(page.pageNonces)
      for (const nonce of page.pageNonces) assert.equal(nonce, page.headerNonce)
      assert.isString(page.token)
      assert.notInclude(page.html, '\uE000')
    }
    assert.notEqual(first.headerNonce, second.headerNonce)
    assert.notEqual(second.token, third.token)
    const strip = (page: typeof first) => page.html.replaceAll(page.headerNonce!, 'N').replaceAll(page.token!, 'T')
    assert.equal(strip(second), strip(first))
    assert.equal(strip(third), strip(first))
  })

  test('a visitor signs in with the token of a page served from the shared copy', async ({ assert }) => {
    const parent = await createUser('parent')
    await visit()
    const agent = new CookieAgent()
    const page = await agent.get('/')
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)![1]
    const response = await agent.send('/connexion', { username: parent.username, password: 'Un-Mot-De-Passe-Solide-2026' }, token)
    assert.equal(response.status, 302)
    assert.notEqual(response.location, '/connexion')
  })

  test('a flash message (signed out) is shown on the page, never shared', async ({ assert }) => {
    const parent = await createUser('parent')
    const agent = new CookieAgent()
    await agent.post('/connexion', { username: parent.username, password: 'Un-Mot-De-Passe-Solide-2026' }, '/connexion')
    await visit()
    await agent.post('/deconnexion', {}, '/accueil')
    assert.include((await agent.get('/')).text, 'Vous êtes déconnecté')
    assert.notInclude((await visit()).html, 'Vous êtes déconnecté')
    assert.notInclude((await agent.get('/')).text, 'Vous êtes déconnecté')
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiResponse } from '@japa/api-client'
import { createUser } from '#tests/helpers/users'

function assertSecurityHeaders(assert: any, response: ApiResponse, label: string) {
  const csp = response.header('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9_-]+'/, `${label}: CSP`)
  assert.include(csp, "frame-ancestors 'none'", `${label}: CSP frames`)
  assert.equal(response.header('x-frame-options'), 'DENY', `${label}: X-Frame-Options`)
  assert.equal(response.header('x-content-type-options'), 'nosniff', `${label}: nosniff`)
  assert.equal(response.header('strict-transport-security'), 'max-age=31536000; includeSubDomains', `${label}: HSTS`)
  assert.equal(response.header('referrer-policy'), 'same-origin', `${label}: Referrer-Policy`)
  const nonce = /nonce-([A-Za-z0-9_-]+)/.exec(csp)?.[1]
  for (const match of response.text().matchAll(/nonce="([^"]*)"/g)) {
    assert.equal(match[1], nonce, `${label}: the page's scripts carry the header's nonce`)
  }
}

/** Error, 404, 419 and static responses carry the same security headers as pages. */
test.group('Security headers on every kind of response', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a page', async ({ client, assert }) => {
    const response = await client.get('/')
    response.assertStatus(200)
    assertSecurityHeaders(assert, response, 'page')
  })

  test('the 404 page of an unknown URL', async ({ client, assert }) => {
    const response = await client.get('/cette-page-n-existe-pas')
    response.assertStatus(404)
    assert.include(response.text(), 'Page introuvable')
    assertSecurityHeaders(assert, response, '404')
  })

  test('the 419 page of a form without its CSRF token', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const response = await client.post('/deconnexion').loginAs(parent)
    response.assertStatus(419)
    assert.include(response.text(), 'Formulaire expiré')
    assertSecurityHeaders(assert, response, '419')
  })

  test('the 403 page', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const response = await client.get('/gestion').loginAs(parent)
    response.assertStatus(403)
    assertSecurityHeaders(assert, response, '403')
  })

  test('an error raised before the router middleware ends (a body that is not JSON)', async ({ client, assert }) => {
    const response = await client.post('/connexion').header('content-type', 'application/json').header('accept', 'text/html').json('{pas du json' as any)
    assert.isAtLeast(response.status(), 400)
    assert.isBelow(response.status(), 500)
    assertSecurityHeaders(assert, response, 'bad body')
  })

  test('static files', async ({ client, assert }) => {
    for (const url of ['/css/portal.css', '/js/planning_basket.js']) {
      const response = await client.get(url)
      response.assertStatus(200)
      assertSecurityHeaders(assert, response, url)
    }
  })
})

import { test } from '@japa/runner'
import type { ChildProcess } from 'node:child_process'
import { bootAndExpectFailure, startServer } from '#tests/helpers/processes'
import { CookieAgent } from '#modules/accounts/tests/helpers'

const PORT = Number(process.env.PORT ?? 3334) + 33

async function failedLogin(from: string, name: string) {
  const agent = new CookieAgent()
  agent.base = `http://127.0.0.1:${PORT}`
  const csrf = await agent.csrfToken('/connexion')
  await agent.send('/connexion', { username: name, password: 'Mauvais-Mot-2026' }, csrf, { 'x-forwarded-for': from })
  return (await agent.get('/connexion')).text
}

test.group('TRUSTED_PROXIES', (group) => {
  let server: (ChildProcess & { output: () => string }) | null = null

  group.setup(async () => {
    server = await startServer({ TRUSTED_PROXIES: 'loopback', LIMITER_STORE: 'memory' }, PORT)
    return () => {
      server?.kill()
    }
  })

  test('behind a trusted proxy, each visitor named by X-Forwarded-For has an address budget of its own', async ({ assert }) => {
    for (let i = 0; i < 30; i++) await failedLogin('203.0.113.7', `essai${i}`)
    assert.include(await failedLogin('203.0.113.7', 'encore.un'), 'Trop de tentatives')
    const neighbour = await failedLogin('203.0.113.8', 'voisin')
    assert.notInclude(neighbour, 'Trop de tentatives')
    assert.include(neighbour, 'mot de passe incorrect')
  }).timeout(120_000)

  test('a value that is not an address stops the boot with a sentence naming it', ({ assert }) => {
    const { status, output } = bootAndExpectFailure({ TRUSTED_PROXIES: 'loopback, proxy.interne' })
    assert.notEqual(status, 0)
    assert.include(output, '« proxy.interne » n')
  }).timeout(90_000)
})

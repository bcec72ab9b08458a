import { test } from '@japa/runner'
import { startServer } from '#tests/helpers/processes'

const basePort = Number(process.env.PORT ?? 3334)

/**
 * Messaging with inscriptions, planning and billing switched off (it only hears their events by
 * name), and messaging itself switched off: no route left behind.
 */
test.group('Messagerie — modules désactivés', () => {
  test('with only accounts, dossier and messaging on, the portal boots and serves the messaging', async ({ assert }) => {
    const port = basePort + 17
    const server = await startServer({ PORTAL_MODULES: 'accounts,dossier,messaging' }, port)
    try {
      for (const path of ['/messagerie', '/messagerie/nouveau', '/gestion/messagerie']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' })
        assert.equal(response.status, 302, path)
        assert.equal(response.headers.get('location'), '/connexion', path)
      }
      assert.notMatch(server.output(), /messagerie : avis non créé|Error/)
    } finally {
      server.kill()
    }
  }).timeout(90_000)

  test('with messaging off, its pages are gone (404)', async ({ assert }) => {
    const port = basePort + 27
    const server = await startServer({ PORTAL_MODULES: 'accounts,dossier' }, port)
    try {
      for (const path of ['/messagerie', '/gestion/messagerie']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' })
        assert.equal(response.status, 404, path)
      }
    } finally {
      server.kill()
    }
  }).timeout(90_000)
})

import { createServer } from 'node:net'
import { test } from '@japa/runner'
import env from '#start/env'
import { startServer } from '#tests/helpers/processes'

/*
 * GET /sante for supervision: a JSON report (database, disk of the private files, mail
 * transport, Redis when configured), 200 when everything answers, 503 when one does not,
 * and never a secret.
 */

const PORT = Number(process.env.PORT ?? 3334) + 61
const base = () => `http://${env.get('HOST')}:${env.get('PORT')}`

/** A port where nothing listens: a database server that is down. */
function closedPort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

test.group('Health endpoint', () => {
  test('everything answers: 200 and the report of each check, no secret', async ({ assert }) => {
    const response = await fetch(base() + '/sante')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /application\/json/)
    assert.equal(response.headers.get('cache-control'), 'no-store')
    const text = await response.text()
    const report = JSON.parse(text)
    assert.oneOf(report.etat, ['ok', 'avertissement'])
    assert.containsSubset(report.controles, {
      base_de_donnees: { etat: 'ok', message: 'La base de données répond.' },
      courrier: { etat: 'ok', transport: env.get('SMTP_HOST') ? 'smtp' : 'outbox' },
    })
    assert.oneOf(report.controles.stockage.etat, ['ok', 'avertissement'])
    assert.isNumber(report.controles.stockage.utilise_pourcent)
    assert.equal('redis' in report.controles, Boolean(env.get('REDIS_HOST')))
    for (const secret of [env.get('APP_KEY'), env.get('DB_PASSWORD'), env.get('DB_USER'), env.get('SQLITE_PATH'), env.get('STORAGE_PATH'), 'pid']) {
      if (secret) assert.notInclude(text, secret)
    }
  })

  test('the database down: 503 with the same JSON, naming the database', async ({ assert, cleanup }) => {
    const databasePort = await closedPort()
    const server = await startServer({ DB_CONNECTION: 'pg', DB_HOST: '127.0.0.1', DB_PORT: String(databasePort), DB_TIMEOUT: '2' }, PORT)
    cleanup(() => void server.kill())
    const response = await fetch(`http://127.0.0.1:${PORT}/sante`, { signal: AbortSignal.timeout(20_000) })
    assert.equal(response.status, 503)
    const text = await response.text()
    const report = JSON.parse(text)
    assert.equal(report.etat, 'erreur')
    assert.deepEqual(report.controles.base_de_donnees, { etat: 'erreur', message: 'La base de données ne répond pas.' })
    assert.equal(report.controles.courrier.etat, 'ok')
    assert.notInclude(text, String(databasePort))
    assert.notInclude(text, 'ECONNREFUSED')
  }).timeout(90_000)
})

import { request } from 'node:http'
import { once } from 'node:events'
import { test } from '@japa/runner'
import { startServer } from '#tests/helpers/processes'

/*
 * SIGTERM (systemd's stop, a deployment's restart) lets the requests in flight finish, closes the
 * database and says so in one log line, then the process exits 0.
 */

const PORT = Number(process.env.PORT ?? 3334) + 60
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test.group('Graceful shutdown', () => {
  test('a request still arriving when SIGTERM comes gets its answer, then the server exits 0 and logs it', async ({ assert, cleanup }) => {
    const server = await startServer({ LOG_LEVEL: 'info' }, PORT)
    cleanup(() => void server.kill('SIGKILL'))
    const exited = once(server, 'exit') as Promise<[number | null, string | null]>

    // A login form sent slowly: the server is busy with it (reading its body) when SIGTERM comes.
    const body = 'username=personne&password=mauvais-mot-de-passe'
    const slow = request({
      host: '127.0.0.1',
      port: PORT,
      method: 'POST',
      path: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    })
    const answered = once(slow, 'response') as Promise<[import('node:http').IncomingMessage]>
    slow.write(body.slice(0, 10))
    await pause(300)
    server.kill('SIGTERM')
    await pause(700)
    assert.isNull(server.exitCode, 'the server waits for the request in flight')
    slow.end(body.slice(10))

    const [response] = await answered
    response.resume()
    assert.isAbove(response.statusCode!, 0)
    assert.isBelow(response.statusCode!, 500)

    const [code] = await exited
    assert.equal(code, 0, server.output())
    assert.match(server.output(), /Arrêt \(SIGTERM\) en \d+ ms : requêtes en cours terminées, base de données fermée\./)
    assert.equal(server.output().match(/Arrêt \(SIGTERM\)/g)?.length, 1)
  }).timeout(90_000)

  test('a request that never ends does not hold the stop past SHUTDOWN_GRACE_SECONDS: exit 1, said in the log', async ({ assert, cleanup }) => {
    const server = await startServer({ LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '1' }, PORT + 1)
    cleanup(() => void server.kill('SIGKILL'))
    const exited = once(server, 'exit') as Promise<[number | null, string | null]>
    const stuck = request({ host: '127.0.0.1', port: PORT + 1, method: 'POST', path: '/connexion', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 100 } })
    stuck.on('error', () => {})
    cleanup(() => void stuck.destroy())
    stuck.write('username=')
    await pause(300)
    const stopped = Date.now()
    server.kill('SIGTERM')
    const [code] = await exited
    assert.equal(code, 1)
    assert.isBelow(Date.now() - stopped, 5000)
    assert.match(server.output(), /Arrêt \(SIGTERM\) forcé après 1 s : des requêtes n'étaient pas terminées\./)
  }).timeout(90_000)
})

import { test } from '@japa/runner'
import User from '#modules/accounts/models/user'
import { createUser } from '#tests/helpers/users'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import { startServer } from '#tests/helpers/processes'

/*
 * In production each request leaves one log line: method, route name, status, duration, user id;
 * never a password, a token or a URL (LOG_REQUESTS=true turns it on here, as production does).
 */

const PORT = Number(process.env.PORT ?? 3334) + 62
const PASSWORD = 'Un-Mot-De-Passe-Solide-2026'

/** The request lines of a pretty-printed log: "GET route status" and the user field below it. */
function requestLines(log: string) {
  return log.split(/\n(?=\[)/).flatMap((entry) => {
    const head = /\): ([A-Z]+ \S+ \d{3}) [\d.]+ ms/.exec(entry)
    return head ? [{ line: head[1], user: /\n\s+user: (\S+)/.exec(entry)?.[1] }] : []
  })
}

test.group('Request log', () => {
  test('one line a request with its route, status, duration and user; no password, no token', async ({ assert, cleanup }) => {
    const user = await createUser('parent')
    cleanup(async () => void (await User.query().where('id', user.id).delete()))
    const server = await startServer({ LOG_REQUESTS: 'true', LOG_LEVEL: 'info' }, PORT)
    cleanup(() => void server.kill())
    const agent = new CookieAgent({ base: `http://127.0.0.1:${PORT}` })

    const before = server.output().length
    assert.equal((await agent.post('/connexion', { username: user.username, password: PASSWORD })).status, 302)
    assert.equal((await agent.get('/accueil')).status, 200)
    await agent.get('/activation/un-jeton-secret-0123456789')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const log = server.output().slice(before)

    const lines = requestLines(log)
    assert.deepInclude(lines, { line: 'GET auth.login 200', user: 'null' })
    assert.deepInclude(lines, { line: 'POST auth.login.store 302', user: String(user.id) })
    assert.deepInclude(lines, { line: 'GET parent.home 200', user: String(user.id) })
    for (const secret of [PASSWORD, 'un-jeton-secret', '/activation/', '_csrf']) assert.notInclude(log, secret)
  }).timeout(90_000)
})

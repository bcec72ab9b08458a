import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { SessionCollection, stores } from '@adonisjs/session'
import type { SessionConfig, SessionStoreWithTaggingContract } from '@adonisjs/session/types'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { SESSION_DATA_COOKIE, TieredSessionStore, redisTaggedWrite, sqlSessionRead, sqlSessionWrites } from '#core/tiered_session_store'
import { directRead, directWrite } from '#core/direct_sql'
import { queriesDuring } from '#tests/helpers/query_log'
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

test.group('Sessions in the database: a login writes its session and its user at once', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  /** @adonisjs/session's own database store, as config/session.ts makes it. */
  async function databaseStore() {
    const factory = await stores.database({ gcProbability: 0 }).resolver(app)
    return factory(null as any, { age: '30m' } as SessionConfig) as SessionStoreWithTaggingContract
  }

  async function storeFor(server: SessionStoreWithTaggingContract) {
    const ctx = await testUtils.createHttpContext()
    return new TieredSessionStore(server, ctx, {
      cookie: {},
      signedInKey: 'auth_web',
      sessionCookie: SESSION_COOKIE,
      taggedWrite: sqlSessionWrites(directWrite, { ttlSeconds: 1800, gcProbability: 0 }).taggedWrite,
    })
  }

  test('the tag waits for the write, which leaves the row tag() then write() would: one statement', async ({ assert }) => {
    const parent = await makeUser()
    const server = await databaseStore()
    const store = await storeFor(server)
    const statements = await queriesDuring(async () => {
      await store.tag('session-a', String(parent.id))
      assert.isNull(await db.from('sessions').where('id', 'session-a').first(), 'nothing written before the write')
      await store.write('session-a', { auth_web: parent.id, note: 'bonjour' })
    })
    assert.lengthOf(statements.filter((sql) => /^insert/i.test(sql)), 1)
    // Read back by the library's own store: same signed data, same tag, a future expiry.
    assert.deepEqual(await server.read('session-a'), { auth_web: parent.id, note: 'bonjour' })
    assert.deepEqual((await server.tagged(String(parent.id))).map((session) => session.id), ['session-a'])
    const row = await db.from('sessions').where('id', 'session-a').firstOrFail()
    assert.isAbove(new Date(row.expires_at).getTime(), Date.now() + 29 * 60_000)

    // A later write of the same session keeps its user; another session is not tagged by it.
    await (await storeFor(server)).write('session-a', { auth_web: parent.id, note: 'encore' })
    assert.deepEqual((await server.tagged(String(parent.id))).map((session) => session.id), ['session-a'])
    await store.write('session-b', { auth_web: parent.id })
    assert.deepEqual((await server.tagged(String(parent.id))).map((session) => session.id), ['session-a'])
  })

  test("the direct read answers what the library's store reads: values, nothing, a forged row, an expired one", async ({ assert }) => {
    const parent = await makeUser()
    const server = await databaseStore()
    const read = sqlSessionRead(directRead)
    await server.write('session-r', { auth_web: parent.id, flash: { note: 'é' } })
    assert.deepEqual(await read('session-r'), await server.read('session-r'))
    assert.deepEqual(await read('session-r'), { auth_web: parent.id, flash: { note: 'é' } })
    assert.isNull(await read('no-such-session'))

    // Data signed for another session id is not this session's.
    const other = await db.from('sessions').where('id', 'session-r').firstOrFail()
    await db.table('sessions').insert({ id: 'session-s', data: other.data, expires_at: other.expires_at })
    assert.isNull(await read('session-s'))
    assert.isNull(await server.read('session-s'))

    // Expired: left to the store, which deletes it; the tiered store then answers nothing.
    await db.from('sessions').where('id', 'session-r').update({ expires_at: new Date(Date.now() - 1000) })
    assert.equal(await read('session-r'), 'expired')
    const store = new TieredSessionStore(server, null, { cookie: {}, signedInKey: 'auth_web', sessionCookie: SESSION_COOKIE, serverRead: read })
    assert.isNull(await store.read('session-r'))
    assert.isNull(await db.from('sessions').where('id', 'session-r').first(), 'the expired row is deleted')
  })

  test("a session's later writes leave the row the library's write() would, and expired rows go as often as configured", async ({ assert }) => {
    const parent = await makeUser()
    const server = await databaseStore()
    const writes = sqlSessionWrites(directWrite, { ttlSeconds: 1800, gcProbability: 100 })
    await writes.taggedWrite('session-w', { auth_web: parent.id }, String(parent.id))
    await db.table('sessions').insert({ id: 'session-old', data: 'x', expires_at: new Date(Date.now() - 60_000) })
    await writes.write('session-w', { auth_web: parent.id, flash: { 'alert.success': 'Enregistré' } })
    assert.deepEqual(await server.read('session-w'), { auth_web: parent.id, flash: { 'alert.success': 'Enregistré' } })
    assert.deepEqual((await server.tagged(String(parent.id))).map((session) => session.id), ['session-w'], 'the write keeps the tag')
    assert.isNull(await db.from('sessions').where('id', 'session-old').first(), 'the expired session is deleted')
    const row = await db.from('sessions').where('id', 'session-w').firstOrFail()
    assert.isAbove(new Date(row.expires_at).getTime(), Date.now() + 29 * 60_000)
  })

  test('without a request (a command, a job) the tag is written at once, as the library does', async ({ assert }) => {
    const parent = await makeUser()
    const server = await databaseStore()
    const store = new TieredSessionStore(server, null, {
      cookie: {},
      signedInKey: 'auth_web',
      sessionCookie: SESSION_COOKIE,
      taggedWrite: sqlSessionWrites(directWrite, { ttlSeconds: 1800, gcProbability: 0 }).taggedWrite,
    })
    await store.tag('session-c', String(parent.id))
    assert.deepEqual((await server.tagged(String(parent.id))).map((session) => session.id), ['session-c'])
  })
})

/** Redis at REDIS_HOST or 127.0.0.1: CI (CI=1) has it; a workstation without it skips, saying so. */
async function redisReachable() {
  try {
    await redis.connection('main').ping()
    return true
  } catch {
    return false
  }
}

const redisUp = await redisReachable()

test.group('Sessions in Redis: a login writes its session and its user at once', () => {
  test('the tag and the data in one MULTI, as the library’s tag() then write() leave them', async ({ assert }) => {
    const server = await stores.redis({ connection: 'main' }).resolver(app).then((factory) => factory(null as any, { age: '30m' } as SessionConfig) as SessionStoreWithTaggingContract)
    const ctx = await testUtils.createHttpContext()
    const store = new TieredSessionStore(server, ctx, {
      cookie: {},
      signedInKey: 'auth_web',
      sessionCookie: SESSION_COOKIE,
      taggedWrite: redisTaggedWrite(() => redis.connection('main'), 1800),
    })
    const userId = `test-${process.pid}-${Date.now()}`
    const sessionId = `session-${userId}`
    try {
      await store.tag(sessionId, userId)
      assert.deepEqual(await server.tagged(userId), [], 'nothing written before the write')
      await store.write(sessionId, { auth_web: userId, note: 'bonjour' })
      assert.deepEqual(await server.read(sessionId), { auth_web: userId, note: 'bonjour' })
      assert.deepEqual((await server.tagged(userId)).map((session) => session.id), [sessionId])
      const ttl = await redis.connection('main').ttl(sessionId)
      assert.isAbove(ttl, 29 * 60)
    } finally {
      await redis.connection('main').del(sessionId, `session_tag:${userId}`)
    }
  }).skip(!redisUp && !process.env.CI, 'Redis is not reachable (CI has it)')
})

import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'
import type { ResolvedSessionConfig, SessionStoreWithTaggingContract } from '@adonisjs/session/types'
import string from '@adonisjs/core/helpers/string'
import redis from '@adonisjs/redis/services/main'
import { TieredSessionStore, redisTaggedWrite, sqlSessionRead, sqlSessionWrites } from '#core/tiered_session_store'
import { directRead, directWrite } from '#core/direct_sql'

/**
 * A signed-in user's session lives outside the process, shared by every app process and
 * revocable: in the database by default, in Redis when REDIS_HOST is set. A visitor's session
 * lives in an encrypted cookie (app/core/tiered_session_store.ts). SESSION_DRIVER=cookie
 * puts every session in the cookie: no revocation, for a throwaway demo only.
 */
const sessionDriver = env.get('SESSION_DRIVER') ?? (env.get('REDIS_HOST') ? 'redis' : 'database')
// The session guard keeps the signed-in user's id under `auth_<guard name>` (config/auth.ts: web).
const SIGNED_IN_KEY = 'auth_web'
export const SESSION_COOKIE_NAME = 'portail-session'

const databaseConnection = env.get('DB_CONNECTION', 'sqlite')
const sessionAge = `${env.get('SESSION_IDLE_MINUTES', 30)}m`
const sessionSeconds = string.seconds.parse(sessionAge)
// The database store's expired sessions are deleted after 2 % of the writes.
const SESSION_GC_PROBABILITY = 2
const databaseWrites = sqlSessionWrites(directWrite, { ttlSeconds: sessionSeconds, gcProbability: SESSION_GC_PROBABILITY })
const serverReads = { database: sqlSessionRead(directRead) }
const serverWrites = { database: databaseWrites.write }
const taggedWrites = {
  database: databaseWrites.taggedWrite,
  redis: redisTaggedWrite(() => redis.connection('main'), sessionSeconds),
}

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: SESSION_COOKIE_NAME,
  clearWithBrowser: true,
  age: sessionAge,
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
  store: sessionDriver === 'cookie' ? 'cookie' : 'tiered',
  stores: {
    tiered: (ctx, config) =>
      new TieredSessionStore((config as ResolvedSessionConfig).stores[sessionDriver](ctx, config) as SessionStoreWithTaggingContract, ctx, {
        cookie: config.cookie,
        signedInKey: SIGNED_IN_KEY,
        sessionCookie: config.cookieName,
        taggedWrite: taggedWrites[sessionDriver as keyof typeof taggedWrites],
        serverRead: serverReads[sessionDriver as keyof typeof serverReads],
        serverWrite: serverWrites[sessionDriver as keyof typeof serverWrites],
      }),
    cookie: stores.cookie(),
    database: stores.database({ connectionName: databaseConnection, gcProbability: SESSION_GC_PROBABILITY }),
    redis: stores.redis({ connection: 'main' }),
  },
})

export default sessionConfig

import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/**
 * Sessions live outside the process: in the database by default, in Redis when
 * REDIS_HOST is set, so several app processes share them.
 */
const defaultStore = env.get('SESSION_DRIVER') ?? (env.get('REDIS_HOST') ? 'redis' : 'database')

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'portail-session',
  clearWithBrowser: true,
  age: `${env.get('SESSION_IDLE_MINUTES', 30)}m`,
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
  store: defaultStore,
  stores: {
    cookie: stores.cookie(),
    database: stores.database({ connectionName: env.get('DB_CONNECTION', 'sqlite'), gcProbability: 2 }),
    redis: stores.redis({ connection: 'main' }),
  },
})

export default sessionConfig

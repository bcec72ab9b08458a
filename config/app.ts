import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  generateRequestId: false,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,
  /**
   * Behind a reverse proxy every request comes from the proxy's address: X-Forwarded-For is
   * believed only from the proxies listed in TRUSTED_PROXIES, never by default (a client could
   * otherwise write it and escape the per-address login limits).
   */
  trustProxy: env.get('TRUSTED_PROXIES') || false,
  cookie: {
    domain: '',
    path: '/',
    // 0 writes no Max-Age (AdonisJS's default is 2 hours): the session cookies, the only ones
    // without a lifetime of their own, end with the browser, as config/session.ts's
    // clearWithBrowser says; a signed-in session's idle limit is kept server-side.
    maxAge: 0,
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})

import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { SESSION_COOKIE_NAME } from '#config/session'

/**
 * Right after the session middleware: an unchanged session id is not sent again.
 *
 * AdonisJS signs and sets the session id cookie on every response (~35 µs, a tenth of a
 * visitor's request here), to push back its expiry. The portal's session cookies expire with
 * the browser (clearWithBrowser, and no default maxAge in config/app.ts), and a signed-in session's real lifetime is kept
 * server-side, so a browser that sent the id it should keep needs no Set-Cookie. A new id (a
 * new visitor, a login, a logout) is still sent. This runs when the request is done, just
 * before the session middleware commits.
 */
export default class UnchangedSessionCookieMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const result = await next()
    const sentId = ctx.request.cookie(SESSION_COOKIE_NAME)
    if (typeof sentId === 'string' && sentId) {
      const response = ctx.response
      const setCookie = response.cookie
      response.cookie = function (key, value, options) {
        return key === SESSION_COOKIE_NAME && value === sentId ? response : setCookie.call(response, key, value, options)
      }
    }
    return result
  }
}

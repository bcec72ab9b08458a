import { randomBytes } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import Tokens from 'csrf'
import edge from 'edge.js'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { errors } from '@adonisjs/shield'
import type { ShieldConfig } from '@adonisjs/shield/types'
import { provideViewLocals } from '#core/request_view'
// Shield's augmentations of Request (csrfToken) and Response (nonce) live with its middleware.
import type {} from '@adonisjs/shield/shield_middleware'

/** Where Shield keeps the secret its tokens are made from. */
const CSRF_SECRET_KEY = 'csrf-secret'

const tokens = new Tokens()
let options: ShieldConfig['csrf'] | null = null

function mustBeChecked(ctx: HttpContext, config: ShieldConfig['csrf']) {
  if (!config.methods?.some((method) => method.toUpperCase() === ctx.request.method())) return false
  const except = config.exceptRoutes
  if (typeof except === 'function') return !except(ctx)
  return !(except ?? []).includes(ctx.route?.pattern ?? '')
}

/**
 * Shield's CSRF check (same secret in the session, same tokens from the `csrf` package, same
 * `_csrf` field and `x-csrf-token` header, same E_BAD_CSRF_TOKEN), after the body is read; the
 * other Shield headers are set for every response by security_headers_middleware. Unlike Shield,
 * the request's token is made when something asks for it (a form being rendered), not on every
 * request, and the views get it when they are made (app/core/request_view.ts).
 */
export default class CsrfMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const config = (options ??= app.config.get<ShieldConfig>('shield').csrf)
    if (!config.enabled) return next()
    // Shield drew a new visitor's secret with the asynchronous randomBytes, which waits for a
    // libuv thread — behind every password hash of a login rush. The same 18 bytes, drawn now.
    let secret = ctx.session.get(CSRF_SECRET_KEY) as string | undefined
    if (!secret) {
      secret = randomBytes(18).toString('base64url')
      ctx.session.put(CSRF_SECRET_KEY, secret)
    }
    let token: string | undefined
    Object.defineProperty(ctx.request, 'csrfToken', {
      get: () => (token ??= tokens.create(secret)),
      configurable: true,
      enumerable: true,
    })
    provideViewLocals(ctx, () => {
      const current = ctx.request.csrfToken
      return {
        csrfToken: current,
        csrfMeta: () => edge.globals.html.safe(`<meta name='csrf-token' content='${current}'>`),
        csrfField: () => edge.globals.html.safe(`<input type='hidden' name='_csrf' value='${current}'>`),
      }
    })
    if (mustBeChecked(ctx, config)) {
      const sent = ctx.request.input('_csrf') || ctx.request.header('x-csrf-token')
      if (typeof sent !== 'string' || !tokens.verify(secret, sent)) throw new errors.E_BAD_CSRF_TOKEN()
    }
    return next()
  }
}

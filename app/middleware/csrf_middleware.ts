import { randomBytes } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import edge from 'edge.js'
import encryption from '@adonisjs/core/services/encryption'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { csrfFactory } from '@adonisjs/shield/guards'
import type { ShieldConfig } from '@adonisjs/shield/types'
// Shield's augmentations of Request (csrfToken) and Response (nonce) live with its middleware.
import type {} from '@adonisjs/shield/shield_middleware'

/** Where Shield keeps the secret its tokens are made from. */
const CSRF_SECRET_KEY = 'csrf-secret'

let guard: ((ctx: HttpContext) => void | Promise<void>) | null = null

/**
 * Shield's CSRF check alone, after the body is read; the other Shield headers are set for
 * every response, errors included, by security_headers_middleware.
 */
export default class CsrfMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    guard ??= csrfFactory(app.config.get<ShieldConfig>('shield').csrf, encryption, edge)
    // Shield draws a new visitor's secret with the asynchronous randomBytes, which waits for a
    // libuv thread — behind every password hash of a login rush. The same 18 bytes, drawn now.
    if (!ctx.session.get(CSRF_SECRET_KEY)) ctx.session.put(CSRF_SECRET_KEY, randomBytes(18).toString('base64url'))
    await guard(ctx)
    return next()
  }
}

import app from '@adonisjs/core/services/app'
import edge from 'edge.js'
import encryption from '@adonisjs/core/services/encryption'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { csrfFactory } from '@adonisjs/shield/guards'
import type { ShieldConfig } from '@adonisjs/shield/types'
// Shield's augmentations of Request (csrfToken) and Response (nonce) live with its middleware.
import type {} from '@adonisjs/shield/shield_middleware'

let guard: ((ctx: HttpContext) => void | Promise<void>) | null = null

/**
 * Shield's CSRF check alone, after the body is read; the other Shield headers are set for
 * every response, errors included, by security_headers_middleware.
 */
export default class CsrfMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    guard ??= csrfFactory(app.config.get<ShieldConfig>('shield').csrf, encryption, edge)
    await guard(ctx)
    return next()
  }
}

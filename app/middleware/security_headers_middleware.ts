import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { frameGuardFactory, hstsFactory, noSniffFactory } from '@adonisjs/shield/guards'
import type { ShieldConfig } from '@adonisjs/shield/types'
import { compileContentSecurityPolicy, cspNonce } from '#core/content_security_policy'
import moduleRegistry from '#core/module_registry'
import { provideViewLocals } from '#core/request_view'

type Guard = (ctx: HttpContext) => void | Promise<void>

/** Shield's CSP guard, the same header and `cspNonce` view local, with the header compiled once. */
function contentSecurityPolicy(options: ShieldConfig['csp']): Guard {
  const headerName = options.reportOnly ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy'
  const headerFor = compileContentSecurityPolicy(options.directives as Record<string, string[]>)
  return (ctx) => {
    const nonce = cspNonce()
    ctx.response.nonce = nonce
    provideViewLocals(ctx, () => ({ cspNonce: nonce }))
    ctx.response.header(headerName, headerFor(nonce, moduleRegistry.formActionOrigins().join(' ')))
  }
}

let guards: Guard[] | null = null

/**
 * Every response's security headers, set before static files, the router, CSRF and any error:
 * the CSP with its nonce (compiled once, app/core/content_security_policy.ts), frames refused, HSTS and nosniff from config/shield.ts (csrf_middleware
 * keeps Shield's CSRF check), plus the referrer and features policies Shield does not set.
 * A 404, a 419, an error page and a static file get the same headers as a page.
 */
export default class SecurityHeadersMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    guards ??= this.#build()
    for (const guard of guards) await guard(ctx)
    const { response } = ctx
    response.header('Referrer-Policy', 'same-origin')
    response.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    response.header('Cross-Origin-Opener-Policy', 'same-origin')
    return next()
  }

  #build(): Guard[] {
    const config = app.config.get<ShieldConfig>('shield')
    return [
      ...(config.csp.enabled ? [contentSecurityPolicy(config.csp)] : []),
      frameGuardFactory(config.xFrame),
      hstsFactory(config.hsts),
      noSniffFactory(config.contentTypeSniffing),
    ]
  }
}

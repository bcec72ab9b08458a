import { defineConfig } from '@adonisjs/shield'
import moduleRegistry from '#core/module_registry'

/**
 * CSP with a per-request nonce (`@nonce` in Edge via cspNonce): no inline script runs
 * without it. Frames are refused, HSTS is one year.
 */
const shieldConfig = defineConfig({
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`, '@nonce'],
      styleSrc: [`'self'`, '@nonce'],
      imgSrc: [`'self'`, 'data:'],
      fontSrc: [`'self'`],
      connectSrc: [`'self'`],
      // Plus the sites the enabled modules' forms are redirected to (accounts: FranceConnect).
      formAction: [`'self'`, '@form-origins'],
      frameAncestors: [`'none'`],
      objectSrc: [`'none'`],
      baseUri: [`'self'`],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    // Server-to-server POSTs that enabled modules declare (billing: PayFiP's payment notification).
    exceptRoutes: (ctx) => moduleRegistry.isCsrfExempt(ctx.route?.pattern),
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '365 days', includeSubDomains: true },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig

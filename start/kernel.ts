import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'
import encryption from '@adonisjs/core/services/encryption'
import emitter from '@adonisjs/core/services/emitter'
import { chainOf } from '#core/middleware_chain'
import { rememberVerifiedSignatures } from '#core/verified_signatures'
import { emitOnlyWhenHeard } from '#core/unheard_events'
import { rememberRouteUrls } from '#core/route_urls'

server.errorHandler(() => import('#exceptions/handler'))

// Signed cookies (the session id) are HMAC-checked once per distinct value, not on every request.
rememberVerifiedSignatures(encryption.verifier)
// The session's per-request events go through emittery only when something listens to them.
emitOnlyWhenHeard(emitter)
// A route's URL is made once per (route, params, query string), not at each link of each page.
rememberRouteUrls(router)

server.use([
  // Benchmark only: answers /__bench/bare before any other middleware (bench/run.ts).
  ...(process.env.PORTAL_BENCH_ROUTES === '1' ? [() => import('../bench/app/bare_route_middleware.js')] : []),
  // Each stack runs as one middleware, each of its parts made once (app/core/middleware_chain.ts).
  chainOf(
    () => import('#middleware/request_log_middleware'),
    () => import('#middleware/container_bindings_middleware'),
    () => import('#middleware/security_headers_middleware'),
    () => import('#middleware/public_files_middleware'),
    () => import('#middleware/health_middleware'),
    () => import('#middleware/visitor_turns_middleware')
  ),
])

// A multipart body is read by the upload gate, once the route and the user are known, and
// before the CSRF check that needs its fields.
router.use([
  chainOf(
    () => import('@adonisjs/core/bodyparser_middleware'),
    () => import('@adonisjs/session/session_middleware'),
    () => import('#middleware/unchanged_session_cookie_middleware'),
    () => import('@adonisjs/auth/initialize_auth_middleware'),
    () => import('#middleware/initialize_bouncer_middleware'),
    () => import('#middleware/upload_gate_middleware'),
    () => import('#middleware/csrf_middleware'),
    () => import('#middleware/layout_middleware')
  ),
])

export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  staff: () => import('#middleware/staff_middleware'),
})

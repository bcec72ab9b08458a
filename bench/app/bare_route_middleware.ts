import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Benchmark only (PORTAL_BENCH_ROUTES=1): the first server middleware answers
 * /__bench/bare itself, so that route costs Adonis's HTTP core and nothing else
 * (no other server middleware, no router middleware).
 */
export default class BareRouteMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url() === '/__bench/bare') {
      ctx.response.header('content-type', 'text/plain; charset=utf-8')
      ctx.response.send('ok')
      return
    }
    return next()
  }
}

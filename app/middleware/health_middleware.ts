import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { lazyImport } from '#core/lazy_import'

export const HEALTH_PATH = '/sante'
const health = lazyImport(() => import('#services/health'))

/**
 * GET /sante answers before the router's middleware (session, layout), which need the database:
 * with the database down, the supervisor still gets the JSON report and its 503.
 */
export default class HealthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url() !== HEALTH_PATH || !['GET', 'HEAD'].includes(ctx.request.method())) return next()
    const { healthy, report } = await (await health()).checkHealth()
    ctx.response.header('cache-control', 'no-store')
    ctx.response.status(healthy ? 200 : 503).json(report)
  }
}

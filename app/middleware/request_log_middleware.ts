import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import { HEALTH_PATH } from '#middleware/health_middleware'

/** One line a request in production (LOG_REQUESTS=false to stop, true to have it elsewhere). */
let enabled: boolean | undefined

/**
 * One log line a request, once its answer is sent (error pages included): method, route name,
 * status, duration in ms, user id. Never the URL (an activation or reset link carries a token),
 * the query, the body or a header: nothing a password, a token or a child's file could be in.
 */
export default class RequestLogMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    enabled ??= env.get('LOG_REQUESTS', app.inProduction) && logger.isLevelEnabled('info')
    if (!enabled) return next()
    const started = process.hrtime.bigint()
    const response = ctx.response.response
    response.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10
      const route = ctx.route?.name ?? ctx.route?.pattern ?? (ctx.request.url() === HEALTH_PATH ? 'sante' : null)
      const auth = (ctx as Partial<Pick<HttpContext, 'auth'>>).auth
      // The guard knows a login made by this very request; auth.user only a checked session.
      const user = auth ? (auth.user?.id ?? auth.use().user?.id ?? null) : null
      const line = { method: ctx.request.method(), route, status: response.statusCode, ms, user, ...(!response.writableFinished && { aborted: true }) }
      logger.info(line, `${line.method} ${route ?? '-'} ${line.status} ${ms} ms`)
    })
    return next()
  }
}

import router from '@adonisjs/core/services/router'
import type { RouteGroup } from '@adonisjs/core/http'
import { middleware } from '#start/kernel'

/** A family's pages: signed in, and `:id` a number. */
export function familyRoutes(define: () => void): RouteGroup {
  return router.group(define).where('id', router.matchers.number()).use(middleware.auth())
}

/**
 * Staff pages, to prefix with /gestion/<slug>: an agent signed in (an administrator with
 * `{ admin: true }`), and `:id` a number.
 */
export function staffRoutes(define: () => void, access?: { admin: boolean }): RouteGroup {
  return router
    .group(define)
    .where('id', router.matchers.number())
    .use([middleware.auth(), middleware.staff(access)])
}

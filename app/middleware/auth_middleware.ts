import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'

/** Private pages: a visitor is sent to the login page, then back where they were going. */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guards?: (keyof Authenticators)[] } = {}) {
    if (!(await ctx.auth.check())) {
      if (ctx.request.method() === 'GET') ctx.session.put('intended_url', ctx.request.url(true))
    }
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: router.makeUrl('auth.login') })
    return next()
  }
}

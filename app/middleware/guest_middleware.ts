import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Login, activation and reset pages are for visitors: a logged-in user goes home. */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (await ctx.auth.check()) {
      return ctx.response.redirect(ctx.auth.user!.isStaff ? '/gestion' : '/accueil')
    }
    return next()
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { signedInUser } from '#core/signed_in_user'

/** Login, activation and reset pages are for visitors: a logged-in user goes home. */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = await signedInUser(ctx)
    if (user) {
      return ctx.response.redirect().toRoute(user.isStaff ? 'staff.home' : 'parent.home')
    }
    return next()
  }
}

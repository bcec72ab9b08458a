import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import ForbiddenException from '#exceptions/forbidden_exception'
import { isOpenToReadOnly, readOnlyHomeUrl } from '#core/read_only_routes'

/**
 * Private pages: a visitor is sent to the login page, then back where they were going. A
 * disabled account (an agent disabled it, a guardian revoked a read-only access) is signed out
 * at its next request, whatever store keeps its session. A read-only account reaches only the
 * routes declared open to it (#core/read_only_routes).
 */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guards?: (keyof Authenticators)[] } = {}) {
    if (!(await ctx.auth.check())) {
      if (ctx.request.method() === 'GET') ctx.session.put('intended_url', ctx.request.url(true))
    }
    const user = await ctx.auth.authenticateUsing(options.guards, { loginRoute: router.makeUrl('auth.login') })
    if (user.state === 'disabled') {
      await ctx.auth.use('web').logout()
      ctx.session.flash('alert.error', 'Votre accès a été fermé : vous avez été déconnecté.')
      return ctx.response.redirect().toRoute('auth.login')
    }
    if (user.isReadOnly && !(ctx.route && isOpenToReadOnly(ctx.route.pattern, ctx.request.method()))) {
      const home = readOnlyHomeUrl()
      if (ctx.route?.name === 'parent.home' && home) {
        ctx.session.reflash()
        return ctx.response.redirect(home)
      }
      throw new ForbiddenException('Votre accès est en lecture seule : cette page ne vous est pas ouverte.')
    }
    return next()
  }
}

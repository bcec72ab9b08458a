import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ForbiddenException from '#exceptions/forbidden_exception'
import { actAsStaff, administer } from '#abilities/main'

/** /gestion is for agents and administrators; a parent gets the 403 page. */
export default class StaffMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { admin?: boolean } = {}) {
    if (await ctx.bouncer.denies(options.admin ? administer : actAsStaff)) {
      throw new ForbiddenException('Accès réservé aux agents de la commune')
    }
    return next()
  }
}

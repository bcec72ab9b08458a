import type { HttpContext } from '@adonisjs/core/http'

/** Who acts, as the bookings' history and the audit name them. */
export function actorOf(ctx: HttpContext) {
  const user = ctx.auth.getUserOrFail()
  return { id: user.id, fullName: user.fullName }
}

import type { HttpContext } from '@adonisjs/core/http'
import { familyService, type Family } from '#modules/dossier/index'

/** The signed-in parent's family, or null (staff, or an account not yet linked to a file). */
export async function currentFamily(ctx: HttpContext): Promise<Family | null> {
  return familyService.familyForUser(ctx.auth.user)
}

export function actorOf(ctx: HttpContext) {
  const user = ctx.auth.getUserOrFail()
  return { id: user.id, fullName: user.fullName }
}

import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import { requireFamily } from '#modules/dossier/index'
import type { Actor } from '#modules/inscriptions/services/registration_service'

/** The signed-in parent and their family (dossier's family policy refuses anyone else). */
export async function currentFamily(ctx: HttpContext) {
  return { user: ctx.auth.getUserOrFail(), family: await requireFamily(ctx) }
}

export function actorOf(ctx: HttpContext): Actor {
  const user = ctx.auth.getUserOrFail()
  return { id: user.id, fullName: user.fullName }
}

/** A refusal found after validation, sent back to the form beside its field. */
export function fieldError(field: string, message: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }])
}

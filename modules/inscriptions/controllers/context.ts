import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import { familyService } from '#modules/dossier/index'
import ForbiddenException from '#exceptions/forbidden_exception'
import type { Actor } from '#modules/inscriptions/services/registration_service'

/** The signed-in parent's family; staff and parents without a file get the 403 page. */
export async function currentFamily(ctx: HttpContext) {
  const user = ctx.auth.getUserOrFail()
  const family = await familyService.familyForUser(user)
  if (!family) throw new ForbiddenException("Votre compte n'est rattaché à aucun dossier famille")
  return { user, family }
}

export function actorOf(ctx: HttpContext): Actor {
  const user = ctx.auth.getUserOrFail()
  return { id: user.id, fullName: user.fullName }
}

/** A refusal found after validation, sent back to the form beside its field. */
export function fieldError(field: string, message: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }])
}

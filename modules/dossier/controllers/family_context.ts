import type { HttpContext } from '@adonisjs/core/http'
import ForbiddenException from '#exceptions/forbidden_exception'
import familyService from '#modules/dossier/services/family_service'
import type Family from '#modules/dossier/models/family'

/** The family of the signed-in parent; agents and parents without a file get the 403 page. */
export async function requireFamily(ctx: HttpContext): Promise<Family> {
  const user = ctx.auth.getUserOrFail()
  const family = await familyService.familyForUser(user)
  if (!family) {
    throw new ForbiddenException(
      user.isStaff
        ? 'Les agents consultent les dossiers depuis Gestion > Familles.'
        : "Aucun dossier famille n'est rattaché à votre compte : contactez le service."
    )
  }
  return family
}

/** A positive integer from a route parameter, or 0 (which matches no row: a 404). */
export function idParam(value: unknown): number {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 ? id : 0
}

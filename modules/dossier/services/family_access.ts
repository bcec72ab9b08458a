import type { HttpContext } from '@adonisjs/core/http'
import type Family from '#modules/dossier/models/family'
import familyService from '#modules/dossier/services/family_service'
import FamilyPolicy from '#modules/dossier/policies/family_policy'

/** The family the signed-in parent acts for; anyone else gets the 403 page with the policy's sentence. */
export async function requireFamily(ctx: HttpContext): Promise<Family> {
  const family = await familyService.familyForUser(ctx.auth.getUserOrFail())
  await ctx.bouncer.with(FamilyPolicy).authorize('actAsParent', family)
  return family!
}

/** The same family, or null where a page explains itself instead of refusing (the planning). */
export async function familyOf(ctx: HttpContext): Promise<Family | null> {
  const user = ctx.auth.user
  if (!user) return null
  const family = await familyService.familyForUser(user)
  return (await ctx.bouncer.with(FamilyPolicy).allows('actAsParent', family)) ? family : null
}

/**
 * familyOf's family id, without building the family's model (a page kept for the family asks it
 * first): the policy decides on the same family, given by its id.
 */
export async function familyIdOf(ctx: HttpContext): Promise<number | null> {
  const user = ctx.auth.user
  if (!user) return null
  const id = await familyService.familyIdForUser(user)
  const family = id === null ? null : ({ id } as Family)
  return (await ctx.bouncer.with(FamilyPolicy).allows('actAsParent', family)) ? id : null
}

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

/** Whether the signed-in account may act as a parent for this family, by familyOf's policy. */
export async function actsFor(ctx: HttpContext, familyId: number | null): Promise<boolean> {
  return ctx.bouncer.with(FamilyPolicy).allows('actAsParent', familyId === null ? null : ({ id: familyId } as Family))
}

/** familyOf's family id, without building the family's model: the policy decides on the same family. */
export async function familyIdOf(ctx: HttpContext): Promise<number | null> {
  const user = ctx.auth.user
  if (!user) return null
  const id = await familyService.familyIdForUser(user)
  return (await actsFor(ctx, id)) ? id : null
}

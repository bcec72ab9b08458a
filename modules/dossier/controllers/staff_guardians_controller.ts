import type { HttpContext } from '@adonisjs/core/http'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import { idParam } from '#modules/dossier/controllers/family_context'
import { saveBirthIdentity } from '#modules/dossier/services/guardian_birth_identity'
import { guardianBirthIdentityValidator } from '#modules/dossier/validators/guardian_birth_identity'

/** The family and one of its guardians; another family's guardian is a 404. */
async function familyAndGuardian(ctx: HttpContext) {
  const family = await Family.findOrFail(idParam(ctx.params.id))
  const guardian = await Guardian.query().where('family_id', family.id).where('id', idParam(ctx.params.guardianId)).firstOrFail()
  return { family, guardian }
}

/** Gestion > Familles > a guardian's birth identity, entered or corrected by the service. */
export default class StaffGuardiansController {
  async editBirthIdentity(ctx: HttpContext) {
    const { family, guardian } = await familyAndGuardian(ctx)
    return ctx.view.render('dossier::pages/staff/guardian_birth_identity', { family, guardian })
  }

  async updateBirthIdentity(ctx: HttpContext) {
    const { family, guardian } = await familyAndGuardian(ctx)
    const data = await ctx.request.validateUsing(guardianBirthIdentityValidator)
    const changes = await saveBirthIdentity(family, guardian, data, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', changes.length ? `L'identité de naissance de ${guardian.fullName} a été enregistrée.` : "Aucune modification : rien n'a changé.")
    return ctx.response.redirect().toRoute('staff.families.show', { id: family.id })
  }
}

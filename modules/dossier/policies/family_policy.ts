import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { User } from '#modules/accounts/index'
import type Family from '#modules/dossier/models/family'

/**
 * Who acts for a family on the parents' pages, for every module: the account of one of its
 * guardians. Agents open family files from the staff pages (Gestion > Familles) instead.
 */
export default class FamilyPolicy extends BasePolicy {
  /** `family`: the file linked to the account (familyService.familyForUser), null when none is. */
  actAsParent(user: User, family: Family | null) {
    if (family && !user.isStaff) return AuthorizationResponse.allow()
    return AuthorizationResponse.deny(
      user.isStaff
        ? 'Les agents consultent les dossiers depuis Gestion > Familles.'
        : "Aucun dossier famille n'est rattaché à votre compte : contactez le service.",
      403
    )
  }
}

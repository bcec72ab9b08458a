import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import User from '#modules/accounts/models/user'
import tokens, { type TokenLookup } from '#modules/accounts/services/token_service'
import { activationValidator } from '#modules/accounts/validators/accounts'
import { flashFormError, validateForm } from '#modules/accounts/controllers/form'
import { comeBackLater } from '#modules/accounts/controllers/session_controller'
import { hashNewPassword } from '#modules/accounts/services/password_hashing'
import { openSession } from '#modules/accounts/services/login_service'
import { CGU_PARTIAL, CGU_TITLE, CGU_VERSION } from '#modules/accounts/services/cgu'
import { PASSWORD_RULE_TEXT } from '#modules/accounts/services/password_policy'

type Refusal = 'unknown' | 'used' | 'expired'

/** The link from the activation mail: accept the CGU, choose a password, land on ACCUEIL. */
export default class ActivationController {
  private async lookup(token: string): Promise<{ user: User } | { refusal: Refusal }> {
    const found: TokenLookup = await tokens.find(token, 'activation')
    if (found.status === 'unknown') return { refusal: 'unknown' }
    if (found.status !== 'valid') return { refusal: found.status }
    const user = await User.find(found.token.userId)
    if (!user) return { refusal: 'unknown' }
    if (user.state !== 'pending') return { refusal: 'used' }
    return { user }
  }

  private refuse({ view, response }: HttpContext, refusal: Refusal) {
    response.status(refusal === 'unknown' ? 404 : 410)
    return view.render('accounts::pages/activation_invalid', { refusal })
  }

  async show(ctx: HttpContext) {
    const found = await this.lookup(ctx.params.token)
    if ('refusal' in found) return this.refuse(ctx, found.refusal)
    return ctx.view.render('accounts::pages/activation', {
      account: found.user,
      token: ctx.params.token,
      cguVersion: CGU_VERSION,
      cguTitle: CGU_TITLE,
      cguPartial: CGU_PARTIAL,
      passwordRule: PASSWORD_RULE_TEXT,
    })
  }

  async store(ctx: HttpContext) {
    const { params, response, session } = ctx
    const found = await this.lookup(params.token)
    if ('refusal' in found) return this.refuse(ctx, found.refusal)
    const user = found.user
    const data = await validateForm(ctx, activationValidator, { username: user.username, email: user.email })
    if (!data) return response.redirect().toRoute('accounts.activation', { token: params.token })
    const made = await hashNewPassword(data.password)
    if ('busy' in made) {
      flashFormError(ctx, comeBackLater(made.busy, 'votre activation'), ['cgu'])
      return response.redirect().toRoute('accounts.activation', { token: params.token })
    }

    const activated = await db.transaction(async (trx) => {
      const lookup = await tokens.find(params.token, 'activation', trx)
      if (lookup.status !== 'valid' || !(await tokens.markUsed(lookup.token, trx))) return false
      const now = DateTime.utc()
      user.useTransaction(trx)
      user.usePasswordHash(made.hashed)
      user.merge({
        state: 'active',
        cguVersion: CGU_VERSION,
        cguAcceptedAt: now,
        activatedAt: now,
      })
      await user.save()
      await tokens.revokeAll(user.id, 'activation', trx)
      await audit.record({ actor: user, action: 'accounts.activated', subjectType: 'user', subjectId: user.id, details: { cguVersion: CGU_VERSION } }, trx)
      return true
    })
    if (!activated) return this.refuse(ctx, 'used')

    await openSession(ctx, await User.findOrFail(user.id), false)
    if (user.isStaff) {
      session.flash('alert.success', 'Votre compte est activé. Bienvenue dans l’espace de gestion.')
      return response.redirect().toRoute('staff.home')
    }
    if (user.isReadOnly) {
      session.flash('alert.success', 'Votre accès est activé. Voici les jours où vous récupérez les enfants.')
      return response.redirect().toRoute('parent.home')
    }
    session.flash(
      'alert.success',
      'Votre compte est activé. N’oubliez pas de vérifier les fiches de vos enfants dans MON DOSSIER : l’absence de retour de votre part validera les éléments que vous nous avez communiqués.'
    )
    return response.redirect().toRoute('parent.home')
  }
}

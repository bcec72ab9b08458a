import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import User from '#modules/accounts/models/user'
import accountService from '#modules/accounts/services/account_service'
import tokens from '#modules/accounts/services/token_service'
import sessionService from '#modules/accounts/services/session_service'
import { inBackground } from '#modules/accounts/services/background'
import { findByLogin } from '#modules/accounts/services/login_service'
import { mayRequestReset } from '#modules/accounts/services/login_throttle'
import { forgotPasswordValidator, resetPasswordValidator } from '#modules/accounts/validators/accounts'
import { flashFormError, validateForm } from '#modules/accounts/controllers/form'
import { comeBackLater } from '#modules/accounts/controllers/session_controller'
import { hashNewPassword } from '#modules/accounts/services/password_hashing'
import { PASSWORD_RULE_TEXT } from '#modules/accounts/services/password_policy'

export const RESET_REQUESTED =
  "Si un compte actif correspond à ce nom d'utilisateur ou à cette adresse, un courriel vient d'y être envoyé avec un lien valable 1 heure. Pensez à regarder dans les courriers indésirables."

/** "Mot de passe oublié ?": the same answer whether the account exists or not; a 1-hour single-use link. */
export default class PasswordResetController {
  async create({ view }: HttpContext) {
    return view.render('accounts::pages/forgot_password')
  }

  async store(ctx: HttpContext) {
    const { response, session } = ctx
    const data = await validateForm(ctx, forgotPasswordValidator)
    if (!data) return response.redirect().toRoute('auth.password.forgot')
    const allowed = await mayRequestReset(ctx.request.ip(), data.username)
    const user = allowed ? await findByLogin(data.username) : null
    if (user && user.state === 'active' && user.email) {
      inBackground('mot de passe oublié', () => accountService.sendPasswordReset(user))
    }
    session.flash('alert.info', RESET_REQUESTED)
    return response.redirect().toRoute('auth.password.forgot')
  }

  private async lookup(token: string) {
    const found = await tokens.find(token, 'password_reset')
    if (found.status !== 'valid') return { refusal: found.status === 'unknown' ? 'unknown' : found.status } as const
    const user = await User.find(found.token.userId)
    if (!user || user.state !== 'active') return { refusal: 'unknown' } as const
    return { user }
  }

  private refuse({ view, response }: HttpContext, refusal: 'unknown' | 'used' | 'expired') {
    response.status(refusal === 'unknown' ? 404 : 410)
    return view.render('accounts::pages/reset_invalid', { refusal })
  }

  async edit(ctx: HttpContext) {
    const found = await this.lookup(ctx.params.token)
    if ('refusal' in found) return this.refuse(ctx, found.refusal!)
    return ctx.view.render('accounts::pages/reset_password', {
      account: found.user,
      token: ctx.params.token,
      passwordRule: PASSWORD_RULE_TEXT,
    })
  }

  async update(ctx: HttpContext) {
    const { params, response, session } = ctx
    const found = await this.lookup(params.token)
    if ('refusal' in found) return this.refuse(ctx, found.refusal!)
    const user = found.user
    const data = await validateForm(ctx, resetPasswordValidator, { username: user.username, email: user.email })
    if (!data) return response.redirect().toRoute('auth.password.reset', { token: params.token })
    const made = await hashNewPassword(data.password)
    if ('busy' in made) {
      flashFormError(ctx, comeBackLater(made.busy, 'votre demande'))
      return response.redirect().toRoute('auth.password.reset', { token: params.token })
    }

    const done = await db.transaction(async (trx) => {
      const lookup = await tokens.find(params.token, 'password_reset', trx)
      if (lookup.status !== 'valid' || !(await tokens.markUsed(lookup.token, trx))) return false
      user.useTransaction(trx)
      user.usePasswordHash(made.hashed)
      await user.save()
      await tokens.revokeAll(user.id, 'password_reset', trx)
      await audit.record({ actor: user, action: 'accounts.password_reset', subjectType: 'user', subjectId: user.id }, trx)
      return true
    })
    if (!done) return this.refuse(ctx, 'used')

    await sessionService.endSessions(user.id)
    session.flash('alert.success', 'Votre mot de passe est changé. Vos autres connexions ont été fermées : connectez-vous avec le nouveau mot de passe.')
    return response.redirect().toRoute('auth.login')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'
import accountService from '#modules/accounts/services/account_service'
import tokens from '#modules/accounts/services/token_service'
import sessionService from '#modules/accounts/services/session_service'
import loginThrottle, { emailChangeWait, frenchDelay } from '#modules/accounts/services/login_throttle'
import { hashNewPassword, tooBusy, verifyInSlot } from '#modules/accounts/services/password_hashing'
import { rememberedDevices } from '#modules/accounts/services/device_tokens'
import { inBackground } from '#modules/accounts/services/background'
import { changeEmailValidator, changePasswordValidator, franceconnectPasswordValidator } from '#modules/accounts/validators/accounts'
import franceconnectClient, { FranceConnectError } from '#modules/accounts/services/franceconnect_client'
import franceconnectLinks from '#modules/accounts/services/franceconnect_links'
import { FAILURES, redirectToFranceConnect, requireFranceConnect } from '#modules/accounts/controllers/franceconnect_controller'
import { flashFieldErrors, validateForm } from '#modules/accounts/controllers/form'
import { PASSWORD_RULE_TEXT } from '#modules/accounts/services/password_policy'
import { comeBackLater, tooManyAttempts } from '#modules/accounts/controllers/session_controller'

export function tooManyEmailChanges(seconds: number) {
  return `Vous avez demandé plusieurs changements d’adresse en peu de temps. Patientez ${frenchDelay(seconds)} avant d’en demander un autre.`
}

/** "Mon compte": password, email, remembered devices, logout. */
export default class MyAccountController {
  async show({ view, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const devices = await rememberedDevices(user.id)
    const franceconnect = franceconnectClient.enabled ? { link: await franceconnectLinks.forUser(user.id) } : null
    return view.render('accounts::pages/my_account', { account: user, devices, passwordRule: PASSWORD_RULE_TEXT, franceconnect })
  }

  async updatePassword(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const user = auth.getUserOrFail()
    const data = await validateForm(ctx, changePasswordValidator, { username: user.username, email: user.email })
    if (!data) return response.redirect().toRoute('account.show')

    if (!(await this.currentPasswordIsRight(ctx, user, data.current_password))) {
      return response.redirect().toRoute('account.show')
    }
    const made = await hashNewPassword(data.password)
    if ('busy' in made) {
      flashFieldErrors(ctx, { password: [comeBackLater(made.busy, 'votre demande')] })
      return response.redirect().toRoute('account.show')
    }
    user.usePasswordHash(made.hashed)
    await user.save()
    await sessionService.endSessions(user.id, { exceptSessionId: session.sessionId })
    session.flash('alert.success', 'Votre mot de passe est changé. Vos autres connexions et appareils mémorisés ont été fermés.')
    return response.redirect().toRoute('account.show')
  }

  /**
   * Checks the current password under the login budget (a form that verifies a password is
   * a login form); a refusal is put beside the field.
   */
  private async currentPasswordIsRight(ctx: HttpContext, user: User, password: string, field = 'current_password', keep: string[] = []) {
    const busy = tooBusy()
    if (busy) {
      flashFieldErrors(ctx, { [field]: [comeBackLater(busy.busy, 'votre demande')] }, keep)
      return false
    }
    const attempt = await loginThrottle.begin(ctx.request.ip(), { userId: user.id })
    if ('wait' in attempt) {
      flashFieldErrors(ctx, { [field]: [tooManyAttempts(attempt.wait)] }, keep)
      return false
    }
    if (!(await verifyInSlot(user.password, password))) {
      const wait = await loginThrottle.failed(attempt)
      flashFieldErrors(ctx, { [field]: [wait ? tooManyAttempts(wait) : 'Le mot de passe actuel est incorrect.'] }, keep)
      return false
    }
    return true
  }

  async requestEmailChange(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const user = auth.getUserOrFail()
    const data = await validateForm(ctx, changeEmailValidator)
    if (!data) return response.redirect().toRoute('account.show')
    if (data.email === user.email) {
      flashFieldErrors(ctx, { email: ['C’est déjà votre adresse actuelle.'] }, ['email'])
      return response.redirect().toRoute('account.show')
    }
    if (!(await this.currentPasswordIsRight(ctx, user, data.email_current_password, 'email_current_password', ['email']))) {
      return response.redirect().toRoute('account.show')
    }
    const wait = await emailChangeWait(user.id)
    if (wait) {
      flashFieldErrors(ctx, { email: [tooManyEmailChanges(wait)] }, ['email'])
      return response.redirect().toRoute('account.show')
    }
    const taken = await User.query().where('email', data.email).whereNot('id', user.id).first()
    if (!taken) inBackground('changement d’adresse', () => accountService.sendEmailChange(user, data.email))
    session.flash(
      'alert.info',
      `Un lien de confirmation valable 24 heures a été envoyé à ${data.email}. Votre adresse changera quand vous l’aurez ouvert.`
    )
    return response.redirect().toRoute('account.show')
  }

  async showEmailConfirmation({ params, view, response }: HttpContext) {
    const found = await tokens.find(params.token, 'email_change')
    if (found.status !== 'valid') {
      response.status(found.status === 'unknown' ? 404 : 410)
      return view.render('accounts::pages/email_invalid', { refusal: found.status })
    }
    return view.render('accounts::pages/email_confirm', { token: params.token, email: found.token.payload })
  }

  async confirmEmail({ params, view, response, session, auth }: HttpContext) {
    let notice: { user: User; oldEmail: string } | null = null
    const outcome = await db.transaction(async (trx) => {
      const found = await tokens.find(params.token, 'email_change', trx)
      if (found.status !== 'valid') return found.status
      const user = await User.find(found.token.userId, { client: trx })
      const email = found.token.payload
      if (!user || !email) return 'unknown'
      if (await User.query({ client: trx }).where('email', email).whereNot('id', user.id).first()) return 'taken'
      if (!(await tokens.markUsed(found.token, trx))) return 'used'
      const oldEmail = user.email
      user.email = email
      await user.save()
      notice = oldEmail ? { user, oldEmail } : null
      return 'ok'
    })
    if (notice) {
      const { user, oldEmail } = notice
      inBackground('avis de changement d’adresse', () => accountService.notifyEmailChanged(user, oldEmail))
    }
    if (outcome !== 'ok') {
      response.status(outcome === 'unknown' ? 404 : 410)
      return view.render('accounts::pages/email_invalid', { refusal: outcome })
    }
    session.flash('alert.success', 'Votre nouvelle adresse électronique est enregistrée.')
    return response.redirect().toRoute((await auth.check()) ? 'account.show' : 'auth.login')
  }

  /** Linking FranceConnect asks the password first, then goes to FranceConnect. */
  async linkFranceConnect(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const user = ctx.auth.getUserOrFail()
    const data = await validateForm(ctx, franceconnectPasswordValidator)
    if (!data) return ctx.response.redirect().toRoute('account.show')
    if (!(await this.currentPasswordIsRight(ctx, user, data.franceconnect_password, 'franceconnect_password'))) {
      return ctx.response.redirect().toRoute('account.show')
    }
    try {
      return await redirectToFranceConnect(ctx, 'link', user.id)
    } catch (error) {
      if (!(error instanceof FranceConnectError)) throw error
      ctx.session.flash('alert.error', FAILURES[error.reason])
      return ctx.response.redirect().toRoute('account.show')
    }
  }

  async confirmUnlinkFranceConnect(ctx: HttpContext) {
    requireFranceConnect(ctx)
    if (!(await franceconnectLinks.forUser(ctx.auth.getUserOrFail().id))) return ctx.response.redirect().toRoute('account.show')
    return ctx.view.render('accounts::pages/franceconnect_unlink')
  }

  async unlinkFranceConnect(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const removed = await franceconnectLinks.unlink(ctx.auth.getUserOrFail())
    if (removed) ctx.session.flash('alert.success', 'FranceConnect n’est plus relié à votre compte. Connectez-vous désormais avec votre mot de passe.')
    return ctx.response.redirect().toRoute('account.show')
  }

  async revokeDevice({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const device = await db.from('remember_me_tokens').where({ id: Number(params.id) || 0, tokenable_id: user.id }).firstOrFail()
    await db.from('remember_me_tokens').where('id', device.id).delete()
    session.flash('alert.success', 'Cet appareil ne sera plus reconnu : il faudra s’y reconnecter.')
    return response.redirect().toRoute('account.show')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'
import accountService from '#modules/accounts/services/account_service'
import tokens from '#modules/accounts/services/token_service'
import sessionService from '#modules/accounts/services/session_service'
import loginThrottle from '#modules/accounts/services/login_throttle'
import { inBackground } from '#modules/accounts/services/background'
import { changeEmailValidator, changePasswordValidator } from '#modules/accounts/validators/accounts'
import { flashFieldErrors, validateForm } from '#modules/accounts/controllers/form'
import { PASSWORD_RULE_TEXT } from '#modules/accounts/services/password_policy'
import { tooManyAttempts } from '#modules/accounts/controllers/session_controller'

/** "Mon compte": password, email, remembered devices, logout. */
export default class MyAccountController {
  async show({ view, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const devices = await db
      .from('remember_me_tokens')
      .where('tokenable_id', user.id)
      .orderBy('updated_at', 'desc')
      .select('id', 'device_label', 'created_at', 'updated_at', 'expires_at')
    return view.render('accounts::pages/my_account', { account: user, devices, passwordRule: PASSWORD_RULE_TEXT })
  }

  async updatePassword(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.getUserOrFail()
    const data = await validateForm(ctx, changePasswordValidator, { username: user.username, email: user.email })
    if (!data) return response.redirect().toRoute('account.show')

    const ip = request.ip()
    const wait = await loginThrottle.blockedFor(ip, user.username)
    if (wait) {
      flashFieldErrors(ctx, { current_password: [tooManyAttempts(wait)] })
      return response.redirect().toRoute('account.show')
    }
    if (!user.password || !(await hash.verify(user.password, data.current_password))) {
      await loginThrottle.failed(ip, user.username)
      flashFieldErrors(ctx, { current_password: ['Le mot de passe actuel est incorrect.'] })
      return response.redirect().toRoute('account.show')
    }
    user.password = data.password
    await user.save()
    await sessionService.endSessions(user.id, { exceptSessionId: session.sessionId })
    session.flash('alert.success', 'Votre mot de passe est changé. Vos autres connexions et appareils mémorisés ont été fermés.')
    return response.redirect().toRoute('account.show')
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
    return response.redirect((await auth.check()) ? '/mon-compte' : '/connexion')
  }

  async revokeDevice({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const device = await db.from('remember_me_tokens').where({ id: Number(params.id) || 0, tokenable_id: user.id }).firstOrFail()
    await db.from('remember_me_tokens').where('id', device.id).delete()
    session.flash('alert.success', 'Cet appareil ne sera plus reconnu : il faudra s’y reconnecter.')
    return response.redirect().toRoute('account.show')
  }
}

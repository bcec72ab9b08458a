import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import visitorPageCache from '#core/visitor_page_cache'
import audit from '#services/audit_service'
import { loginValidator } from '#modules/accounts/validators/accounts'
import { flashFormError, validateForm } from '#modules/accounts/controllers/form'
import loginThrottle, { frenchDelay } from '#modules/accounts/services/login_throttle'
import { CGU_VERSION } from '#modules/accounts/services/cgu'
import { findByLogin, verifyLogin, homeFor, openSession, safeIntended } from '#modules/accounts/services/login_service'

export const LOGIN_REFUSED =
  "Nom d'utilisateur ou mot de passe incorrect. Si vous n'avez pas encore activé votre compte, utilisez le lien reçu par courriel."

export function tooManyAttempts(seconds: number) {
  return `Trop de tentatives de connexion. Par sécurité, patientez ${frenchDelay(seconds)} avant de réessayer, ou utilisez « Mot de passe oublié ? ».`
}

export default class SessionController {
  /** The same for every visitor but its errors (flashed): the rush's first page, shared. */
  async create(ctx: HttpContext) {
    return visitorPageCache.render('auth.login', ctx, () => ctx.view.render('accounts::pages/login'))
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const data = await validateForm(ctx, loginValidator)
    if (!data) return response.redirect().toRoute('auth.login')

    const user = await findByLogin(data.username)
    const attempt = await loginThrottle.begin(request.ip(), user ? { userId: user.id } : { unknownName: data.username })
    if ('wait' in attempt) {
      flashFormError(ctx, tooManyAttempts(attempt.wait), ['username'])
      return response.redirect().toRoute('auth.login')
    }

    const valid = await verifyLogin(user, data.password)
    if (!user || !valid || user.state !== 'active') {
      const blocked = await loginThrottle.failed(attempt)
      // In the audit: who (when the name is known), from where, why; never what was typed.
      const reason = !user ? 'compte inconnu' : user.state !== 'active' ? `compte non actif (${user.state})` : 'mot de passe incorrect'
      await audit.record({ action: 'accounts.login.failed', subjectType: user ? 'user' : undefined, subjectId: user?.id, details: { reason, ip: request.ip(), blocked: Boolean(blocked) } })
      flashFormError(ctx, blocked ? tooManyAttempts(blocked) : LOGIN_REFUSED, ['username'])
      return response.redirect().toRoute('auth.login')
    }

    if (hash.needsReHash(user.password!)) user.password = data.password
    await openSession(ctx, user, Boolean(data.remember))

    const intended = safeIntended(session.pull('intended_url'))
    const destination = user.isStaff ? homeFor(user) : (intended ?? homeFor(user))
    if (user.cguVersion !== CGU_VERSION) {
      session.put('after_cgu_url', destination)
      return response.redirect().toRoute('account.cgu')
    }
    return response.redirect(destination)
  }

  async destroy({ auth, session, response }: HttpContext) {
    await auth.use('web').logout()
    session.forget('intended_url')
    session.flash('alert.success', 'Vous êtes déconnecté. À bientôt !')
    return response.redirect().toRoute('home')
  }
}

import { randomBytes } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import { absoluteRoute } from '#core/absolute_url'
import franceconnectClient from '#modules/accounts/services/franceconnect_client'
import franceconnectDataToken from '#modules/accounts/services/franceconnect_data_token'
import { ID_TOKEN_KEY, LOGOUT_STATE_KEY } from '#modules/accounts/controllers/franceconnect_keys'
import visitorPageCache from '#core/visitor_page_cache'
import audit from '#services/audit_service'
import { loginValidator } from '#modules/accounts/validators/accounts'
import { flashFormError, validateForm } from '#modules/accounts/controllers/form'
import loginThrottle, { frenchDelay } from '#modules/accounts/services/login_throttle'
import { CGU_VERSION } from '#modules/accounts/services/cgu'
import { checkSignIn, homeFor, openSession, rehashIfIdle, safeIntended } from '#modules/accounts/services/login_service'

export const LOGIN_REFUSED =
  "Nom d'utilisateur ou mot de passe incorrect. Si vous n'avez pas encore activé votre compte, utilisez le lien reçu par courriel."

export function tooManyAttempts(seconds: number) {
  return `Trop de tentatives de connexion. Par sécurité, patientez ${frenchDelay(seconds)} avant de réessayer, ou utilisez « Mot de passe oublié ? ».`
}

/**
 * A login (or another form that checks or sets a password: `what`) turned away because too many
 * are waiting for their password check.
 */
export function comeBackLater(seconds: number, what = 'votre connexion') {
  return `De nombreuses familles se connectent en ce moment : ${what} n'a pas pu être traitée. Réessayez dans ${seconds} secondes.`
}

export default class SessionController {
  /** The same for every visitor but its errors (flashed): the rush's first page, shared. */
  async create(ctx: HttpContext) {
    // The button comes and goes with the configuration: part of the cached page's key.
    const franceconnectEnabled = franceconnectClient.enabled
    return visitorPageCache.render(`auth.login:${franceconnectEnabled}`, ctx, () =>
      ctx.view.render('accounts::pages/login', { franceconnectEnabled })
    )
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const data = await validateForm(ctx, loginValidator)
    if (!data) return response.redirect().toRoute('auth.login')

    const { socket } = request.request
    const browserLeft = () => socket.destroyed || !socket.writable
    const check = await checkSignIn(data.username, data.password, request.ip(), browserLeft)
    // Nobody is there to read an answer.
    if ('abandoned' in check) return response.noContent()
    if ('busy' in check) {
      flashFormError(ctx, comeBackLater(check.busy), ['username'])
      return response.redirect().toRoute('auth.login')
    }
    if ('wait' in check) {
      flashFormError(ctx, tooManyAttempts(check.wait), ['username'])
      return response.redirect().toRoute('auth.login')
    }

    const { user, attempt, valid } = check
    if (!user || !valid || user.state !== 'active') {
      const blocked = await loginThrottle.failed(attempt)
      // In the audit: who (when the name is known), from where, why; never what was typed.
      const reason = !user ? 'compte inconnu' : user.state !== 'active' ? `compte non actif (${user.state})` : 'mot de passe incorrect'
      await audit.record({ action: 'accounts.login.failed', subjectType: user ? 'user' : undefined, subjectId: user?.id, details: { reason, ip: request.ip(), blocked: Boolean(blocked) } })
      flashFormError(ctx, blocked ? tooManyAttempts(blocked) : LOGIN_REFUSED, ['username'])
      return response.redirect().toRoute('auth.login')
    }

    await rehashIfIdle(user, data.password)
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
    const idToken = session.pull(ID_TOKEN_KEY) as string | undefined
    franceconnectDataToken.forget({ session })
    await auth.use('web').logout()
    session.forget('intended_url')
    // Signed in through FranceConnect: signed out of it too, through its end-session page.
    if (idToken && franceconnectClient.enabled) {
      const state = randomBytes(32).toString('base64url')
      try {
        const url = await franceconnectClient.endSessionUrl(idToken, absoluteRoute('auth.franceconnect.logged_out'), state)
        session.put(LOGOUT_STATE_KEY, state)
        return response.redirect(url)
      } catch (error) {
        logger.warn({ cause: (error as Error).message }, 'FranceConnect : déconnexion non transmise')
      }
    }
    session.flash('alert.success', 'Vous êtes déconnecté. À bientôt !')
    return response.redirect().toRoute('home')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import { absoluteRoute } from '#core/absolute_url'
import User from '#modules/accounts/models/user'
import franceconnectClient, { FranceConnectError, type FranceConnectFailure, type PendingAuthorization } from '#modules/accounts/services/franceconnect_client'
import franceconnectLinks from '#modules/accounts/services/franceconnect_links'
import franceconnectMail, { maskEmail } from '#modules/accounts/services/franceconnect_mail'
import tokens from '#modules/accounts/services/token_service'
import loginThrottle from '#modules/accounts/services/login_throttle'
import { inBackground } from '#modules/accounts/services/background'
import { flashFormError } from '#modules/accounts/controllers/form'
import { tooManyAttempts } from '#modules/accounts/controllers/session_controller'
import { CGU_VERSION } from '#modules/accounts/services/cgu'
import { homeFor, openSession, safeIntended } from '#modules/accounts/services/login_service'
import franceconnectDataToken from '#modules/accounts/services/franceconnect_data_token'

import { ID_TOKEN_KEY, LOGOUT_STATE_KEY, PENDING_KEY, UNKNOWN_KEY } from '#modules/accounts/controllers/franceconnect_keys'

export const FAILURES: Record<FranceConnectFailure, string> = {
  cancelled: 'Vous avez annulé la connexion avec FranceConnect. Vous pouvez recommencer, ou vous connecter avec votre nom d’utilisateur et votre mot de passe.',
  state: 'La connexion avec FranceConnect n’a pas pu être vérifiée (demande expirée ou commencée dans un autre onglet). Recommencez en cliquant sur le bouton FranceConnect.',
  unreachable: 'FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre nom d’utilisateur et votre mot de passe.',
  refused: 'FranceConnect n’a pas pu confirmer votre identité. Recommencez, ou connectez-vous avec votre nom d’utilisateur et votre mot de passe.',
}

/** Without FranceConnect configured (nor the demo), its addresses do not exist. */
export function requireFranceConnect(ctx: HttpContext) {
  if (!franceconnectClient.enabled) throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
}

/** Sends the browser to FranceConnect, keeping state, nonce and PKCE verifier in the session. */
export async function redirectToFranceConnect(ctx: HttpContext, purpose: PendingAuthorization['purpose'], userId?: number) {
  // A sign-in also asks the data scopes the modules want (the parent authorises them on FranceConnect's page).
  const dataScopes = purpose === 'login' ? franceconnectDataToken.wantedScopes() : []
  const { url, pending } = await franceconnectClient.authorizationUrl(absoluteRoute('auth.franceconnect.callback'), purpose, userId, dataScopes)
  ctx.session.put(PENDING_KEY, pending)
  return ctx.response.redirect(url)
}

interface UnknownIdentity {
  sub: string
  givenName: string
  familyName: string
  birthdate: string
}

export default class FranceconnectController {
  async start(ctx: HttpContext) {
    requireFranceConnect(ctx)
    try {
      return await redirectToFranceConnect(ctx, 'login')
    } catch (error) {
      return this.refuse(ctx, error, 'auth.login')
    }
  }

  async callback(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const { request, session, auth } = ctx
    await auth.check()
    const pending = session.pull(PENDING_KEY) as PendingAuthorization | undefined
    const back = pending?.purpose === 'link' ? 'account.show' : 'auth.login'
    let identity
    try {
      identity = await franceconnectClient.identify(new URL(absoluteRoute('auth.franceconnect.callback') + '?' + request.parsedUrl.query), pending)
    } catch (error) {
      return this.refuse(ctx, error, back)
    }

    if (pending!.purpose === 'link') {
      const user = auth.user
      if (!user || user.id !== pending!.userId) return this.refuse(ctx, new FranceConnectError('state', 'autre compte'), 'auth.login')
      const outcome = await franceconnectLinks.link(user, identity.sub, 'mon-compte')
      if (outcome === 'linked' || outcome === 'already-linked') {
        session.put(ID_TOKEN_KEY, identity.idToken)
        session.flash('alert.success', 'FranceConnect est relié à votre compte : vous pouvez désormais vous connecter avec FranceConnect.')
      } else {
        session.flash('alert.error', outcome === 'identity-taken' ? 'Cette identité FranceConnect est déjà reliée à un autre compte du portail. Contactez le service enfance-jeunesse.' : 'Votre compte est déjà relié à une autre identité FranceConnect : déliez-la d’abord.')
      }
      return ctx.response.redirect().toRoute('account.show')
    }

    const user = await franceconnectLinks.userOf(identity.sub)
    if (!user || user.state !== 'active') {
      await audit.record({ action: 'accounts.franceconnect.unknown', details: { ip: request.ip(), linkedAccount: user ? `compte non actif (${user.state})` : 'aucun' } })
      session.put(UNKNOWN_KEY, { sub: identity.sub, givenName: identity.givenName, familyName: identity.familyName, birthdate: identity.birthdate } satisfies UnknownIdentity)
      return ctx.response.redirect().toRoute('auth.franceconnect.unknown')
    }
    const attempt = await loginThrottle.begin(request.ip(), { userId: user.id })
    if ('wait' in attempt) {
      flashFormError(ctx, tooManyAttempts(attempt.wait))
      return ctx.response.redirect().toRoute('auth.login')
    }
    await openSession(ctx, user, false)
    session.put(ID_TOKEN_KEY, identity.idToken)
    if (identity.data) franceconnectDataToken.keep(ctx, identity.data.accessToken, identity.data.expiresIn, identity.data.scopes)
    await audit.record({ actor: user, action: 'accounts.franceconnect.login', subjectType: 'user', subjectId: user.id, details: { ip: request.ip() } })
    const intended = safeIntended(session.pull('intended_url'))
    const destination = user.isStaff ? homeFor(user) : (intended ?? homeFor(user))
    if (user.cguVersion !== CGU_VERSION) {
      session.put('after_cgu_url', destination)
      return ctx.response.redirect().toRoute('account.cgu')
    }
    return ctx.response.redirect(destination)
  }

  /** An identity no account is linked to: how to get an account, or the offer to link the one that matches. */
  async unknown(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const identity = ctx.session.get(UNKNOWN_KEY) as UnknownIdentity | undefined
    if (!identity) return ctx.response.redirect().toRoute('auth.login')
    const match = await franceconnectLinks.matchingAccount(identity as any)
    return ctx.view.render('accounts::pages/franceconnect_unknown', { identity, maskedEmail: match ? maskEmail(match.email!) : null })
  }

  async requestLink(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const identity = ctx.session.pull(UNKNOWN_KEY) as UnknownIdentity | undefined
    if (!identity) return ctx.response.redirect().toRoute('auth.login')
    const match = await franceconnectLinks.matchingAccount(identity as any)
    if (match) {
      await audit.record({ action: 'accounts.franceconnect.link-requested', subjectType: 'user', subjectId: match.id })
      inBackground('confirmation FranceConnect', () => franceconnectMail.sendLinkConfirmation(match, identity.sub))
    }
    ctx.session.flash('alert.info', 'Si votre identité correspond à un compte activé, un lien de confirmation valable 24 heures a été envoyé à son adresse électronique. Ouvrez-le pour relier FranceConnect à votre compte.')
    return ctx.response.redirect().toRoute('auth.login')
  }

  async showConfirmation(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const { params, view, response } = ctx
    const found = await tokens.find(params.token, 'franceconnect_link')
    if (found.status !== 'valid') {
      response.status(found.status === 'unknown' ? 404 : 410)
      return view.render('accounts::pages/franceconnect_link_invalid', { refusal: found.status })
    }
    const user = await User.findOrFail(found.token.userId)
    return view.render('accounts::pages/franceconnect_link_confirm', { token: params.token, account: user })
  }

  async confirm(ctx: HttpContext) {
    requireFranceConnect(ctx)
    const { params, view, response, session } = ctx
    const outcome = await db.transaction(async (trx) => {
      const found = await tokens.find(params.token, 'franceconnect_link', trx)
      if (found.status !== 'valid') return found.status
      if (!(await tokens.markUsed(found.token, trx))) return 'used' as const
      return { userId: found.token.userId, sub: found.token.payload! }
    })
    if (typeof outcome === 'string') {
      response.status(outcome === 'unknown' ? 404 : 410)
      return view.render('accounts::pages/franceconnect_link_invalid', { refusal: outcome })
    }
    const user = await User.findOrFail(outcome.userId)
    const linked = await franceconnectLinks.link(user, outcome.sub, 'courriel')
    if (linked === 'linked' || linked === 'already-linked') {
      session.flash('alert.success', 'FranceConnect est relié à votre compte : vous pouvez désormais vous connecter avec FranceConnect.')
    } else {
      session.flash('alert.error', 'Ce lien ne peut plus servir : cette identité ou votre compte est déjà relié autrement. Contactez le service enfance-jeunesse.')
    }
    return response.redirect().toRoute((await ctx.auth.check()) ? 'account.show' : 'auth.login')
  }

  /** Back from FranceConnect's end-session page. */
  async loggedOut(ctx: HttpContext) {
    requireFranceConnect(ctx)
    ctx.session.forget(LOGOUT_STATE_KEY)
    ctx.session.flash('alert.success', 'Vous êtes déconnecté du portail et de FranceConnect. À bientôt !')
    return ctx.response.redirect().toRoute('home')
  }

  /** The failure in words on the page it came from; the details only in the log. */
  private refuse(ctx: HttpContext, error: unknown, back: 'auth.login' | 'account.show') {
    if (!(error instanceof FranceConnectError)) throw error
    logger.warn({ reason: error.reason, cause: (error.cause as Error | undefined)?.message ?? error.message }, 'FranceConnect : connexion refusée')
    if (back === 'account.show' && ctx.auth.user) ctx.session.flash('alert.error', FAILURES[error.reason])
    else flashFormError(ctx, FAILURES[error.reason])
    return ctx.response.redirect().toRoute(ctx.auth.user ? back : 'auth.login')
  }
}

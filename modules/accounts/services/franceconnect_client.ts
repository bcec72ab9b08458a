import * as oidc from 'openid-client'
import franceconnectConfig, { type FranceConnectSettings } from '#modules/accounts/config/franceconnect'

/** What FranceConnect says of the person (scopes openid given_name family_name birthdate email). */
export interface FranceConnectIdentity {
  sub: string
  givenName: string
  familyName: string
  birthdate: string
  email: string | null
  idToken: string
  /** When data scopes were asked: the access token, its lifetime and the scopes FranceConnect granted. */
  data: { accessToken: string; expiresIn: number | undefined; scopes: string[] } | null
}

/** What the portal keeps in the visitor's session between the button and the callback. */
export interface PendingAuthorization {
  state: string
  nonce: string
  codeVerifier: string
  purpose: 'login' | 'link'
  userId?: number
  /** Data scopes asked along with the identity (a sign-in only). */
  dataScopes?: string[]
}

export type FranceConnectFailure = 'cancelled' | 'state' | 'unreachable' | 'refused'

export class FranceConnectError extends Error {
  constructor(
    public reason: FranceConnectFailure,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'FranceConnectError'
  }
}

export const SCOPES = 'openid given_name family_name birthdate email'
const TIMEOUT_SECONDS = 10

let cached: { key: string; configuration: Promise<oidc.Configuration> } | null = null

function discover(settings: FranceConnectSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer} ${settings.clientId} ${settings.clientSecret}`
  if (cached?.key === key) return cached.configuration
  const configuration = oidc
    .discovery(
      new URL(settings.issuer),
      settings.clientId,
      { id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256' },
      oidc.ClientSecretPost(settings.clientSecret),
      { timeout: TIMEOUT_SECONDS, execute: settings.standIn ? [oidc.allowInsecureRequests] : [] }
    )
    .then((found) => {
      // Signatures of the id_token and of the userinfo JWT checked against the provider's JWKS.
      oidc.enableNonRepudiationChecks(found)
      return found
    })
  cached = { key, configuration }
  // A failed discovery (provider down) is tried again at the next click.
  configuration.catch(() => {
    if (cached?.configuration === configuration) cached = null
  })
  return configuration
}

async function configuration(): Promise<oidc.Configuration> {
  const settings = franceconnectConfig.settings
  if (!settings) throw new FranceConnectError('unreachable', "FranceConnect n'est pas configuré.")
  try {
    return await discover(settings)
  } catch (error) {
    throw new FranceConnectError('unreachable', 'FranceConnect ne répond pas.', { cause: error })
  }
}

/** The provider's error codes and the client's checks, as one of our reasons. */
function failure(error: unknown): FranceConnectError {
  if (error instanceof FranceConnectError) return error
  if (error instanceof oidc.AuthorizationResponseError) {
    return new FranceConnectError(error.error === 'access_denied' ? 'cancelled' : 'refused', error.error, { cause: error })
  }
  const code = (error as { code?: string }).code
  if (code === 'OAUTH_INVALID_RESPONSE' && /state/i.test((error as Error).message)) return new FranceConnectError('state', 'state', { cause: error })
  if (error instanceof TypeError || code === 'OAUTH_TIMEOUT' || (error as Error).name === 'TimeoutError' || code === 'ECONNREFUSED') {
    return new FranceConnectError('unreachable', 'FranceConnect ne répond pas.', { cause: error })
  }
  return new FranceConnectError('refused', (error as Error).message ?? 'réponse refusée', { cause: error })
}

class FranceConnectClient {
  get enabled() {
    return franceconnectConfig.enabled
  }

  /** The authorization request (state, nonce of 32 bytes, PKCE S256, eidas1) and what to keep. */
  async authorizationUrl(redirectUri: string, purpose: PendingAuthorization['purpose'], userId?: number, dataScopes: string[] = []) {
    const config = await configuration()
    const pending: PendingAuthorization = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      purpose,
      userId,
      ...(dataScopes.length ? { dataScopes } : {}),
    }
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: [SCOPES, ...dataScopes].join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      acr_values: 'eidas1',
      // FranceConnect always asks who and what is shared.
      prompt: 'login consent',
    })
    return { url: url.href, pending }
  }

  /**
   * The callback: state, code (PKCE), id_token (signature, issuer, audience, nonce, expiry) and
   * the signed userinfo, all checked by openid-client; then the eIDAS level.
   */
  async identify(callbackUrl: URL, pending: PendingAuthorization | undefined): Promise<FranceConnectIdentity> {
    if (callbackUrl.searchParams.get('error') === 'access_denied') throw new FranceConnectError('cancelled', 'access_denied')
    if (!pending || callbackUrl.searchParams.get('state') !== pending.state) throw new FranceConnectError('state', 'state')
    const config = await configuration()
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
        idTokenExpected: true,
      })
      const claims = tokens.claims()!
      if (claims.acr !== 'eidas1') throw new FranceConnectError('refused', `niveau ${String(claims.acr)} au lieu de eidas1`)
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
      const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
      const identity = {
        sub: claims.sub,
        givenName: text(info.given_name),
        familyName: text(info.family_name),
        birthdate: text(info.birthdate),
        email: text(info.email) || null,
        idToken: tokens.id_token!,
        data: null as FranceConnectIdentity['data'],
      }
      if (!identity.givenName || !identity.familyName || !/^\d{4}-\d{2}-\d{2}$/.test(identity.birthdate)) {
        throw new FranceConnectError('refused', 'identité incomplète')
      }
      if (pending.dataScopes?.length) {
        // The scopes granted (the token response says them), else the ones asked.
        const granted = typeof tokens.scope === 'string' ? tokens.scope.split(' ') : pending.dataScopes
        const scopes = pending.dataScopes.filter((scope) => granted.includes(scope))
        if (scopes.length) identity.data = { accessToken: tokens.access_token, expiresIn: tokens.expires_in, scopes }
      }
      return identity
    } catch (error) {
      throw failure(error)
    }
  }

  /** FranceConnect's end-session address (id_token_hint, state, back to the portal). */
  async endSessionUrl(idToken: string, postLogoutRedirectUri: string, state: string) {
    const config = await configuration()
    return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, state, post_logout_redirect_uri: postLogoutRedirectUri }).href
  }
}

const franceconnectClient = new FranceConnectClient()
export default franceconnectClient

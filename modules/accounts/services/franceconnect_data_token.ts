import type { HttpContext } from '@adonisjs/core/http'
import moduleRegistry from '#core/module_registry'

/** Where the token lives: the signed-in session, server-side (database or Redis; see config/session.ts). */
export const DATA_TOKEN_KEY = 'franceconnect.data_token'

interface KeptToken {
  token: string
  /** Epoch milliseconds; FranceConnect's access tokens live a minute. */
  expiresAt: number
  scopes: string[]
}

type SessionOf = Pick<HttpContext, 'session'>

/**
 * The FranceConnect access token of a sign-in that asked data scopes (API Particulier's
 * FranceConnect-ed calls use it as their bearer). Kept in the signed-in session only — never in a
 * cookie in clear, never logged — and forgotten at logout, at another sign-in, and once expired.
 */
const franceconnectDataToken = {
  /** The data scopes the enabled modules want now (the `accounts.franceconnect-data-scopes` contribution). */
  wantedScopes(): string[] {
    const scopes = moduleRegistry.contributions('accounts.franceconnect-data-scopes').flatMap(({ answer }) => answer())
    return [...new Set(scopes.filter((scope) => /^[a-z0-9_]+$/.test(scope)))]
  },

  keep(ctx: SessionOf, token: string, expiresInSeconds: number | undefined, scopes: string[]) {
    const kept: KeptToken = { token, expiresAt: Date.now() + Math.max(0, expiresInSeconds ?? 60) * 1000, scopes }
    ctx.session.put(DATA_TOKEN_KEY, kept)
  },

  /** The token when this session signed in with FranceConnect granting `scope` and it has not expired; null otherwise. */
  for(ctx: SessionOf, scope: string): string | null {
    const kept = ctx.session.get(DATA_TOKEN_KEY) as KeptToken | undefined
    if (!kept || typeof kept.token !== 'string' || !Array.isArray(kept.scopes) || !kept.scopes.includes(scope)) return null
    if (!(kept.expiresAt > Date.now())) {
      ctx.session.forget(DATA_TOKEN_KEY)
      return null
    }
    return kept.token
  },

  /** Forgets it (logout, another sign-in, or an API that refused it). */
  forget(ctx: SessionOf) {
    ctx.session.forget(DATA_TOKEN_KEY)
  },
}

export default franceconnectDataToken

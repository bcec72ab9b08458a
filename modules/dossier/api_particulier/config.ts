/**
 * API Particulier settings, read from the environment at each use (start/env.ts validates them
 * at boot; the tests point them at the stand-in they start).
 *   API_PARTICULIER_TOKEN      the commune's bearer token (never logged)
 *   API_PARTICULIER_RECIPIENT  the commune's SIRET, sent as `recipient`
 *   API_PARTICULIER_URL        default https://particulier.api.gouv.fr
 *   API_PARTICULIER_DEMO=1     without a token: the local stand-in (DEMO_URL, DEMO_TOKEN)
 */
export const PRODUCTION_URL = 'https://particulier.api.gouv.fr'
export const QUOTIENT_PATH = '/v3/dss/quotient_familial/identite'
/** The FranceConnect-ed variant: `recipient` (and `annee`/`mois`), the parent's FranceConnect access token as bearer. */
export const FRANCECONNECT_QUOTIENT_PATH = '/v3/dss/quotient_familial/france_connect'
/** The FranceConnect data scope this call needs, asked when the parent signs in with FranceConnect. */
export const FRANCECONNECT_QUOTIENT_SCOPE = 'cnaf_quotient_familial'
export const DEMO_PORT = 4810
export const DEMO_URL = `http://127.0.0.1:${DEMO_PORT}`
/** What the stand-in accepts; a demo value, worthless against the real API. */
export const DEMO_TOKEN = 'jeton-de-demonstration-api-particulier'
/** A SIRET of the demo (the stand-in only checks its shape). */
export const DEMO_RECIPIENT = '21060004200019'

/** Published limits: 20 calls a second per token, 1,000 requests a minute per IP. */
export const RATE_LIMITS = [
  { limit: 20, windowMs: 1000 },
  { limit: 1000, windowMs: 60_000 },
]

const demo = () => ['1', 'true'].includes((process.env.API_PARTICULIER_DEMO ?? '').trim().toLowerCase())
const token = () => process.env.API_PARTICULIER_TOKEN?.trim() || ''
const recipient = () => (process.env.API_PARTICULIER_RECIPIENT ?? '').replace(/\s+/g, '')

const apiParticulierConfig = {
  /** Without a token and a SIRET, nor the demo, the feature is absent: no button, 404 on its pages. */
  get enabled() {
    return Boolean(token() && recipient()) || demo()
  },
  /** The demo stand-in serves when no real token is configured. */
  get usesDemo() {
    return !token() && demo()
  },
  get url() {
    if (this.usesDemo) return (process.env.API_PARTICULIER_URL?.trim() || DEMO_URL).replace(/\/+$/, '')
    return (process.env.API_PARTICULIER_URL?.trim() || PRODUCTION_URL).replace(/\/+$/, '')
  },
  get token() {
    return token() || (demo() ? DEMO_TOKEN : '')
  },
  get recipient() {
    return recipient() || DEMO_RECIPIENT
  },
}

export default apiParticulierConfig

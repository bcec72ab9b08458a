/**
 * GET /v3/dss/quotient_familial/identite (the request built from a guardian's birth identity) or
 * /france_connect (the parent's FranceConnect access token instead of the commune's): the answer
 * read into what the portal keeps (the QF, its provider, its month) or an error in words.
 * The tokens go in the Authorization header only; nothing here logs them or the body.
 */
import apiParticulierConfig, { FRANCECONNECT_QUOTIENT_PATH, QUOTIENT_PATH, RATE_LIMITS } from '#modules/dossier/api_particulier/config'
import { RateLimiter } from '#modules/dossier/api_particulier/rate_limiter'

export interface BirthIdentity {
  birthName: string
  /** 1 to 3 given names, in civil-status order. */
  firstNames: string[]
  sex: 'F' | 'M'
  /** YYYY-MM-DD */
  birthDate: string
  /** COG code of the country, 99100 for France. */
  birthCountryCode: string
  /** COG code of the commune, for people born in France. */
  birthCommuneCode: string | null
}

export type QuotientProvider = 'CAF' | 'MSA'

export interface FetchedQuotient {
  value: number
  provider: QuotientProvider
  year: number
  month: number
  computedYear: number | null
  computedMonth: number | null
  cached: boolean
}

export type FailureKind = 'not_found' | 'invalid_identity' | 'bad_token' | 'forbidden' | 'rate_limited' | 'unavailable'

export type QuotientAnswer = { ok: true; quotient: FetchedQuotient } | { ok: false; kind: FailureKind; status: number; code: string | null; retryAfterSeconds: number | null }

/**
 * One limiter per process: the web requests and the command share the commune's token. Its
 * windows are 10 % longer than the API's, so that calls which leave a little apart on the
 * wire do not arrive closer together than the API counts.
 */
export const apiParticulierLimiter = new RateLimiter(RATE_LIMITS.map((rule) => ({ limit: rule.limit, windowMs: Math.round(rule.windowMs * 1.1) })))

export function quotientQuery(identity: BirthIdentity, recipient: string, month?: { year: number; month: number }) {
  const params = new URLSearchParams()
  params.set('recipient', recipient)
  params.set('nomNaissance', identity.birthName.trim())
  for (const name of identity.firstNames.slice(0, 3)) params.append('prenoms[]', name.trim())
  params.set('sexeEtatCivil', identity.sex)
  params.set('codeCogInseePaysNaissance', identity.birthCountryCode)
  if (identity.birthCommuneCode) params.set('codeCogInseeCommuneNaissance', identity.birthCommuneCode)
  const [year, monthOfBirth, day] = identity.birthDate.split('-')
  params.set('anneeDateNaissance', String(Number(year)))
  params.set('moisDateNaissance', String(Number(monthOfBirth)))
  params.set('jourDateNaissance', String(Number(day)))
  if (month) {
    params.set('annee', String(month.year))
    params.set('mois', String(month.month))
  }
  return params
}

/** The 200 body's quotient_familial, or null when the answer lacks it (scopes, a changed API). */
export function readQuotient(body: any, cached: boolean): FetchedQuotient | null {
  const qf = body?.data?.quotient_familial
  if (!qf || !Number.isSafeInteger(qf.valeur) || qf.valeur < 0) return null
  const provider = qf.fournisseur === 'MSA' ? 'MSA' : qf.fournisseur === 'CNAF' || qf.fournisseur === 'CAF' ? 'CAF' : null
  if (!provider || !Number.isInteger(qf.annee) || !Number.isInteger(qf.mois) || qf.mois < 1 || qf.mois > 12) return null
  return {
    value: qf.valeur,
    provider,
    year: qf.annee,
    month: qf.mois,
    computedYear: Number.isInteger(qf.annee_calcul) ? qf.annee_calcul : null,
    computedMonth: Number.isInteger(qf.mois_calcul) ? qf.mois_calcul : null,
    cached,
  }
}

/** Retry-After in seconds (a number, or an HTTP date), at least 1. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds))
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - now) / 1000))
}

export function failureKind(status: number): FailureKind {
  if (status === 404) return 'not_found'
  if (status === 400 || status === 422) return 'invalid_identity'
  if (status === 401) return 'bad_token'
  if (status === 403) return 'forbidden'
  if (status === 429) return 'rate_limited'
  return 'unavailable'
}

export interface CallOptions {
  bypassCache?: boolean
  timeoutMs?: number
}

/** One call with the guardian's birth identity and the commune's token. */
export function fetchQuotient(identity: BirthIdentity, options: CallOptions = {}): Promise<QuotientAnswer> {
  const url = `${apiParticulierConfig.url}${QUOTIENT_PATH}?${quotientQuery(identity, apiParticulierConfig.recipient)}`
  return call(url, apiParticulierConfig.token, options)
}

/** One call of the FranceConnect-ed variant: the parent's FranceConnect access token is the bearer. */
export function fetchQuotientWithFranceConnect(accessToken: string, options: CallOptions & { month?: { year: number; month: number } } = {}): Promise<QuotientAnswer> {
  const params = new URLSearchParams({ recipient: apiParticulierConfig.recipient })
  if (options.month) {
    params.set('annee', String(options.month.year))
    params.set('mois', String(options.month.month))
  }
  return call(`${apiParticulierConfig.url}${FRANCECONNECT_QUOTIENT_PATH}?${params}`, accessToken, options)
}

/** One call, after the limiter allows it; a 429 pauses the limiter for Retry-After. */
async function call(url: string, bearer: string, options: CallOptions): Promise<QuotientAnswer> {
  await apiParticulierLimiter.acquire()
  let response: Response
  try {
    response = await fetch(url, {
      headers: {
        'authorization': `Bearer ${bearer}`,
        'accept': 'application/json',
        ...(options.bypassCache ? { 'cache-control': 'no-cache' } : {}),
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    })
  } catch {
    return { ok: false, kind: 'unavailable', status: 0, code: null, retryAfterSeconds: null }
  }
  const body: any = await response.json().catch(() => null)
  if (response.ok) {
    const quotient = readQuotient(body, response.headers.get('x-response-cached') === 'true')
    return quotient ? { ok: true, quotient } : { ok: false, kind: 'unavailable', status: response.status, code: null, retryAfterSeconds: null }
  }
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'))
  if (response.status === 429) apiParticulierLimiter.pauseFor(retryAfter ?? 1)
  const code = typeof body?.errors?.[0]?.code === 'string' ? body.errors[0].code : null
  return { ok: false, kind: failureKind(response.status), status: response.status, code, retryAfterSeconds: retryAfter }
}

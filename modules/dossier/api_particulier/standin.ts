/*
 * A local API Particulier for the demo and the tests: GET /v3/dss/quotient_familial/identite
 * with the real parameters, bearer token, JSON bodies, error codes and cache headers, answering
 * the published test identities (test_cases.ts); and /france_connect, whose bearer is a
 * FranceConnect access token checked with FranceConnect (standin_franceconnect.ts). State (the
 * 24 h cache, the rate windows) lives in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEMO_TOKEN, FRANCECONNECT_QUOTIENT_PATH, QUOTIENT_PATH, RATE_LIMITS } from '#modules/dossier/api_particulier/config'
import { DEMO_CASES, ERROR_CASES, FRANCECONNECT_DEMO_CASES, QUOTIENT_CASES, sameIdentity, type IdentityQuery, type QuotientCase } from '#modules/dossier/api_particulier/test_cases'
import { findByPerson, issuerOf, personOfToken } from '#modules/dossier/api_particulier/standin_franceconnect'

export interface StandinOptions {
  token?: string
  /** Seconds announced in Retry-After with a 429. */
  retryAfterSeconds?: number
  /** The month "now" (tests); default the current month in Paris. */
  now?: () => Date
  /** The FranceConnect that checks the tokens of /france_connect (default: see issuerOf). */
  franceconnectIssuer?: string
}

export interface RunningStandin {
  url: string
  token: string
  server: Server
  /**
   * Every request let through the bearer check and the rate limits: its path, its query, whether
   * it bypassed the cache, and which bearer it carried (the commune's token, or a FranceConnect
   * one, kept for the tests to look for it where it must not be).
   */
  calls: Array<{ path: string; query: URLSearchParams; cacheBypass: boolean; bearer: 'commune' | 'franceconnect'; franceconnectToken?: string }>
  /** The FranceConnect asked about /france_connect tokens; may be changed while running (tests). */
  franceconnectIssuer: string | undefined
  /** Requests refused for going over the published rate limits. */
  throttled: number
  close(): Promise<void>
}

const ERROR_BODIES: Record<number, { code: string; title: string; detail: string; provider?: string }> = {
  401: { code: '00101', title: 'Interdit', detail: "Votre token n'est pas valide ou n'est pas renseigné" },
  404: { code: '37003', title: 'Dossier allocataire absent CNAV', detail: "Le dossier allocataire n'a pas été trouvé auprès de la CNAV.", provider: 'CNAV' },
  429: { code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes' },
  502: { code: '37999', title: 'Erreur inconnue du fournisseur de données', detail: 'La réponse retournée par le fournisseur de données est invalide et inconnue de notre service.', provider: 'CNAV' },
  503: { code: '37001', title: 'Fournisseur de données indisponible', detail: 'Le fournisseur de données est momentanément indisponible.', provider: 'CNAV' },
  504: { code: '37002', title: 'Intermédiaire hors-délai', detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.', provider: 'CNAV' },
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  response.end(JSON.stringify(body))
}

function sendError(response: ServerResponse, status: number, headers: Record<string, string> = {}, detail?: string, source?: string) {
  const known = ERROR_BODIES[status] ?? { code: '00000', title: 'Erreur', detail: detail ?? 'Erreur' }
  const error = {
    code: status === 400 ? '00301' : known.code,
    title: status === 400 ? "Entité non traitable" : known.title,
    detail: detail ?? known.detail,
    source: source ? { parameter: source } : null,
    meta: known.provider ? { provider: known.provider } : {},
  }
  sendJson(response, status, { errors: [error] }, headers)
}

const intOrNull = (value: string | null) => (value === null || value === '' ? null : Number(value))

/** The query's identity, or the name of the first missing or malformed parameter. */
function readQuery(params: URLSearchParams): IdentityQuery | { missing: string } {
  const prenoms = [...params.getAll('prenoms[]'), ...params.getAll('prenoms')]
  for (const name of ['recipient', 'nomNaissance', 'sexeEtatCivil', 'codeCogInseePaysNaissance']) if (!params.get(name)) return { missing: name }
  if (!/^\d{14}$/.test(params.get('recipient')!)) return { missing: 'recipient' }
  if (!prenoms.length || prenoms.length > 3) return { missing: 'prenoms' }
  if (!['M', 'F'].includes(params.get('sexeEtatCivil')!)) return { missing: 'sexeEtatCivil' }
  if (!/^\d{5}$/.test(params.get('codeCogInseePaysNaissance')!)) return { missing: 'codeCogInseePaysNaissance' }
  const bornInFrance = params.get('codeCogInseePaysNaissance') === '99100'
  const commune = params.get('codeCogInseeCommuneNaissance')
  const byName = params.get('nomCommuneNaissance') && params.get('codeCogInseeDepartementNaissance') && params.get('anneeDateNaissance')
  if (bornInFrance && !commune && !byName) return { missing: 'codeCogInseeCommuneNaissance' }
  return {
    nomNaissance: params.get('nomNaissance')!,
    prenoms,
    sexe: params.get('sexeEtatCivil')!,
    paysNaissance: params.get('codeCogInseePaysNaissance')!,
    communeNaissance: commune,
    annee: intOrNull(params.get('anneeDateNaissance')),
    mois: intOrNull(params.get('moisDateNaissance')),
    jour: intOrNull(params.get('jourDateNaissance')),
  }
}

/** The month asked (annee/mois) or the current one; a future month is a 400, as the API does. */
function requestedMonth(params: URLSearchParams, now: Date): { year: number; month: number } | null {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).formatToParts(now)
  const current = { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) }
  const year = intOrNull(params.get('annee'))
  const month = intOrNull(params.get('mois'))
  if (year === null || month === null) return current
  if (year * 12 + month > current.year * 12 + current.month) return null
  return { year, month }
}

export async function startApiParticulierStandin(port = 0, options: StandinOptions = {}): Promise<RunningStandin> {
  const token = options.token ?? DEMO_TOKEN
  const retryAfter = options.retryAfterSeconds ?? 1
  const now = options.now ?? (() => new Date())
  const calls: RunningStandin['calls'] = []
  const cache = new Map<string, { body: unknown; expiresAt: number }>()
  const windows = RATE_LIMITS.map(() => [] as number[])
  const running = {
    url: '',
    token,
    calls,
    franceconnectIssuer: options.franceconnectIssuer,
    throttled: 0,
    close: () => new Promise<void>((resolve) => running.server.close(() => resolve())),
  } as RunningStandin

  function overLimit(at: number) {
    return RATE_LIMITS.some((rule, index) => {
      windows[index] = windows[index].filter((time) => time > at - rule.windowMs)
      return windows[index].length >= rule.limit
    })
  }

  /** The rate windows: false (and a 429 sent) when over a published limit. */
  function admitted(response: ServerResponse, at: number) {
    if (overLimit(at)) {
      running.throttled++
      sendError(response, 429, { 'retry-after': String(retryAfter) })
      return false
    }
    windows.forEach((window) => window.push(at))
    return true
  }

  /** The 200 of a found case, through the 24 h cache (key: what identifies the request). */
  function sendQuotient(response: ServerResponse, found: QuotientCase, month: { year: number; month: number }, key: string, cacheBypass: boolean, at: number) {
    const cached = cache.get(key)
    const fresh = !cached || cacheBypass || cached.expiresAt <= at
    // MSA recomputes every month; CAF when the situation changes (here: in January).
    const computed = found.fournisseur === 'MSA' ? month : { year: month.year, month: 1 }
    const body = fresh
      ? {
          data: {
            quotient_familial: { fournisseur: found.fournisseur, valeur: found.valeur, annee: month.year, mois: month.month, annee_calcul: computed.year, mois_calcul: computed.month },
            allocataires: found.allocataires,
            enfants: found.enfants,
            adresse: found.adresse,
          },
          links: {},
          meta: {},
        }
      : cached!.body
    const expiresAt = fresh ? at + 86_400_000 : cached!.expiresAt
    if (fresh) cache.set(key, { body, expiresAt })
    sendJson(response, 200, body, {
      'cache-control': 'private, max-age=86400',
      'x-response-cached': String(!fresh),
      'x-cache-expires-in': String(Math.round((expiresAt - at) / 1000)),
    })
  }

  function answerIdentite(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (request.headers.authorization !== `Bearer ${token}`) return sendError(response, 401)
    const at = Date.now()
    if (!admitted(response, at)) return
    const cacheBypass = /no-cache/i.test(String(request.headers['cache-control'] ?? ''))
    calls.push({ path: url.pathname, query: url.searchParams, cacheBypass, bearer: 'commune' })

    const query = readQuery(url.searchParams)
    if ('missing' in query) return sendError(response, 400, {}, `Le paramètre ${query.missing} est absent ou invalide.`, query.missing)
    const month = requestedMonth(url.searchParams, now())
    if (!month) return sendError(response, 400, {}, 'Le mois demandé est dans le futur.', 'mois')
    const failing = ERROR_CASES.find((known) => sameIdentity(known.identity, query))
    if (failing) return sendError(response, failing.status, failing.status === 429 ? { 'retry-after': String(retryAfter) } : {})
    const found = [...QUOTIENT_CASES, ...DEMO_CASES].find((known) => sameIdentity(known.identity, query))
    if (!found) return sendError(response, 404)
    sendQuotient(response, found, month, `identite ${url.searchParams.toString()}`, cacheBypass, at)
  }

  /** /france_connect: the bearer is a FranceConnect access token, checked with FranceConnect; its person's QF. */
  async function answerFranceConnect(request: IncomingMessage, response: ServerResponse, url: URL) {
    const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1]
    if (!bearer || bearer === token) return sendError(response, 401)
    let person
    try {
      person = await personOfToken(issuerOf(running.franceconnectIssuer), bearer)
    } catch {
      return sendError(response, 502, {}, 'FranceConnect ne répond pas : le jeton ne peut pas être vérifié.')
    }
    if (!person) return sendError(response, 401)
    const at = Date.now()
    if (!admitted(response, at)) return
    const cacheBypass = /no-cache/i.test(String(request.headers['cache-control'] ?? ''))
    calls.push({ path: url.pathname, query: url.searchParams, cacheBypass, bearer: 'franceconnect', franceconnectToken: bearer })

    if (!/^\d{14}$/.test(url.searchParams.get('recipient') ?? '')) return sendError(response, 400, {}, 'Le paramètre recipient est absent ou invalide.', 'recipient')
    const month = requestedMonth(url.searchParams, now())
    if (!month) return sendError(response, 400, {}, 'Le mois demandé est dans le futur.', 'mois')
    const failing = findByPerson(ERROR_CASES, person)
    if (failing) return sendError(response, failing.status, failing.status === 429 ? { 'retry-after': String(retryAfter) } : {})
    const found = findByPerson([...QUOTIENT_CASES, ...DEMO_CASES, ...FRANCECONNECT_DEMO_CASES], person)
    if (!found) return sendError(response, 404)
    sendQuotient(response, found, month, `france_connect ${person.sub} ${month.year}-${month.month}`, cacheBypass, at)
  }

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (request.method === 'GET' && url.pathname === QUOTIENT_PATH) return answerIdentite(request, response, url)
    if (request.method === 'GET' && url.pathname === FRANCECONNECT_QUOTIENT_PATH) return answerFranceConnect(request, response, url)
    sendJson(response, 404, { errors: [{ code: '00404', title: 'Not found', detail: 'Route inconnue', source: null, meta: {} }] })
  }

  const server = createServer(async (request, response) => {
    try {
      await answer(request, response)
    } catch (error) {
      sendJson(response, 500, { errors: [{ code: '00500', title: 'Erreur interne', detail: (error as Error).message, source: null, meta: {} }] })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actualPort = (server.address() as AddressInfo).port
  running.url = `http://127.0.0.1:${actualPort}`
  running.server = server
  return running
}

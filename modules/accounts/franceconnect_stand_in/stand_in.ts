/*
 * A local FranceConnect for the demo, the tests and development: a real OpenID provider
 * (oidc-provider) with FranceConnect's v2 paths (/api/v2/authorize, /token, /userinfo, /jwks,
 * /session/end), eidas1, PKCE required, ES256-signed id_token and userinfo, FranceConnect's
 * scopes and claims, and a page to pick one of two demo identities. State lives in memory.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Configuration } from 'oidc-provider'
import { demoIdentity } from './identities.js'
import { loginPage, logoutPage, messagePage } from './pages.js'

const MOUNT = '/api/v2'
const SCOPES = ['openid', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email', 'preferred_username']
/**
 * FranceConnect's data-provider scopes of the CNAF/MSA (no claim in userinfo: the data provider
 * reads them with the access token, as API Particulier's FranceConnect-ed quotient does).
 */
export const DATA_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse']

export interface StandInClient {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
}

export interface RunningStandIn {
  issuer: string
  url: string
  client: StandInClient
  server: Server
  close(): Promise<void>
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: randomBytes(8).toString('hex') }
}

function configuration(client: StandInClient): Configuration {
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        client_name: 'Portail Famille',
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey() as any] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    acrValues: ['eidas1'],
    scopes: [...SCOPES, ...DATA_SCOPES],
    claims: Object.fromEntries(SCOPES.map((scope) => [scope, scope === 'openid' ? ['sub'] : [scope]])),
    pkce: { required: () => true },
    routes: { authorization: '/authorize', token: '/token', userinfo: '/userinfo', jwks: '/jwks', end_session: '/session/end' },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = logoutPage(form)
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = messagePage('Déconnecté', 'Vous êtes déconnecté de FranceConnect (démonstration).')
        },
      },
    },
    // FranceConnect's lifetimes: a code lives 30 s, tokens 60 s.
    ttl: { AuthorizationCode: 30, AccessToken: 60, IdToken: 60, Interaction: 600, Session: 1800, Grant: 1800 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const identity = demoIdentity(sub)
      if (!identity) return undefined
      return { accountId: sub, claims: async () => ({ ...identity }) }
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      ctx.body = messagePage('Erreur', `${out.error} : ${out.error_description ?? ''}`)
    },
  }
}

async function readForm(request: IncomingMessage) {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function sendHtml(response: ServerResponse, status: number, html: string) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  response.end(html)
}

/**
 * The interaction pages: "login" shows the picker; once picked, FranceConnect's consent is
 * given at once (the picker lists what is shared), as the real one does after its own screen.
 */
async function interact(provider: Provider, request: IncomingMessage, response: ServerResponse, path: string) {
  const details = await provider.interactionDetails(request, response)
  const { prompt, params, uid } = details
  if (request.method === 'GET' && prompt.name === 'login') {
    const client = await provider.Client.find(String(params.client_id))
    return sendHtml(response, 200, loginPage(uid, client?.clientName ?? 'le service', String(params.scope ?? '').split(' ')))
  }
  if (request.method === 'POST' && path.endsWith('/login')) {
    const form = await readForm(request)
    if (form.get('cancel')) {
      return provider.interactionFinished(request, response, { error: 'access_denied', error_description: "L'utilisateur a annulé." }, { mergeWithLastSubmission: false })
    }
    const sub = form.get('sub') ?? ''
    if (!demoIdentity(sub)) return sendHtml(response, 400, messagePage('Identité inconnue', 'Choisissez une des identités proposées.'))
    return provider.interactionFinished(request, response, { login: { accountId: sub, acr: 'eidas1', amr: ['pwd'] } }, { mergeWithLastSubmission: false })
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: details.session!.accountId, clientId: String(params.client_id) })
    if (prompt.details.missingOIDCScope) grant.addOIDCScope((prompt.details.missingOIDCScope as string[]).join(' '))
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims as string[])
    const grantId = await grant.save()
    return provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true })
  }
  sendHtml(response, 400, messagePage('Demande inattendue', 'Recommencez depuis le portail.'))
}

export async function startStandIn(port: number, client: StandInClient, host = '127.0.0.1'): Promise<RunningStandIn> {
  let provider: Provider | null = null
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | null = null
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost')
      if (url.pathname === MOUNT || url.pathname.startsWith(`${MOUNT}/`)) {
        // Mounted under /api/v2 as FranceConnect is: oidc-provider reads the prefix from originalUrl.
        ;(request as IncomingMessage & { originalUrl?: string }).originalUrl = request.url
        request.url = request.url!.slice(MOUNT.length) || '/'
        return callback!(request, response)
      }
      if (url.pathname.startsWith('/interaction/')) return await interact(provider!, request, response, url.pathname)
      sendHtml(response, 404, messagePage('Introuvable', 'Cette page n’existe pas.'))
    } catch (error) {
      sendHtml(response, 400, messagePage('Demande refusée', (error as Error).message))
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const url = `http://${host}:${(server.address() as AddressInfo).port}`
  const issuer = `${url}${MOUNT}`
  provider = new Provider(issuer, configuration(client))
  callback = provider.callback()
  return {
    issuer,
    url,
    client,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

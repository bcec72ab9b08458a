import type { Group } from '@japa/runner/core'
import env from '#start/env'
import { startStandIn, type RunningStandIn } from '#modules/accounts/franceconnect_stand_in/stand_in'
import { DEMO_IDENTITIES } from '#modules/accounts/franceconnect_stand_in/identities'
import { CookieAgent } from '#tests/helpers/cookie_agent'

export const [LINKABLE, UNKNOWN] = DEMO_IDENTITIES
const CLIENT = { clientId: 'portail-famille-test', clientSecret: 'secret-de-test-portail-famille-0123456789' }

export function portalBase() {
  return `http://${env.get('HOST')}:${env.get('PORT')}`
}

/**
 * Starts the local FranceConnect on a free port for the whole group and configures the portal
 * with it as with the real one (client id, secret, issuer); restores the environment afterwards.
 */
export function useFranceConnectStandIn(group: Group) {
  const fc = {} as { standIn: RunningStandIn }
  group.setup(async () => {
    fc.standIn = await startStandIn(0, {
      ...CLIENT,
      redirectUris: [`${portalBase()}/connexion/franceconnect/retour`],
      postLogoutRedirectUris: [`${portalBase()}/connexion/franceconnect/deconnexion`],
    })
    process.env.FRANCECONNECT_CLIENT_ID = CLIENT.clientId
    process.env.FRANCECONNECT_CLIENT_SECRET = CLIENT.clientSecret
    process.env.FRANCECONNECT_ISSUER = fc.standIn.issuer
    return async () => {
      delete process.env.FRANCECONNECT_CLIENT_ID
      delete process.env.FRANCECONNECT_CLIENT_SECRET
      delete process.env.FRANCECONNECT_ISSUER
      await fc.standIn.close()
    }
  })
  return fc
}

type Answer = { status: number; location: string | null; text: string }

/**
 * Follows redirects between the portal (agent) and FranceConnect (its own cookie jar, like the
 * browser's for that site), picking `sub` on FranceConnect's page or cancelling there. Returns
 * the portal's last answer (not followed further than `stopAt` paths of the portal).
 */
export async function throughFranceConnect(
  agent: CookieAgent,
  standIn: RunningStandIn,
  first: Answer,
  choice: { sub: string } | { cancel: true },
  provider = new CookieAgent({ base: standIn.url })
): Promise<Answer> {
  let answer = first
  for (let hops = 0; hops < 20; hops++) {
    if (answer.status === 200 && /name="sub"/.test(answer.text)) {
      const action = /action="([^"]+)"/.exec(answer.text)![1]
      const form: Record<string, string> = 'sub' in choice ? { sub: choice.sub } : { sub: LINKABLE.sub, cancel: '1' }
      answer = await provider.send(action, form, '')
      continue
    }
    // FranceConnect's sign-out page (its button, or the form a script sends when it has no session).
    if (answer.status === 200 && /name="xsrf"/.test(answer.text)) {
      const action = /action="([^"]+)"/.exec(answer.text)![1]
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(answer.text)![1]
      answer = await provider.send(new URL(action).pathname, { xsrf, logout: 'yes' }, '')
      continue
    }
    if (!answer.location || answer.status < 300 || answer.status >= 400) return answer
    const target = new URL(answer.location, standIn.url)
    if (target.origin === standIn.url) {
      answer = await provider.get(target.pathname + target.search)
    } else {
      const last = await agent.get(target.pathname + target.search)
      if (target.pathname.startsWith('/connexion/franceconnect/retour') || target.pathname === '/connexion/franceconnect/deconnexion') return last
      answer = last
    }
  }
  throw new Error('trop de redirections')
}

/** From the login page, "S'identifier avec FranceConnect", then FranceConnect as `sub`. */
export async function signInWithFranceConnect(agent: CookieAgent, standIn: RunningStandIn, sub: string) {
  const start = await agent.post('/connexion/franceconnect', {}, '/connexion')
  return throughFranceConnect(agent, standIn, start, { sub })
}

/**
 * FranceConnect settings, read from the environment when used (validated at boot in
 * start/env.ts):
 *   FRANCECONNECT_CLIENT_ID, FRANCECONNECT_CLIENT_SECRET  given to the commune by FranceConnect
 *   FRANCECONNECT_ISSUER  default: the integration environment (v2)
 *   FRANCECONNECT_DEMO=1  without a client id, the local stand-in (franceconnect_stand_in/)
 *                         started by the web server of a developer's machine
 * Neither configured nor demo: no button, the routes answer 404.
 */
export const INTEGRATION_ISSUER = 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2'

export interface FranceConnectSettings {
  issuer: string
  clientId: string
  clientSecret: string
  /** The local stand-in (http on this machine). */
  standIn: boolean
}

let standIn: FranceConnectSettings | null = null

const franceconnectConfig = {
  get settings(): FranceConnectSettings | null {
    const clientId = process.env.FRANCECONNECT_CLIENT_ID?.trim()
    const clientSecret = process.env.FRANCECONNECT_CLIENT_SECRET?.trim()
    if (clientId && clientSecret) {
      const issuer = (process.env.FRANCECONNECT_ISSUER?.trim() || INTEGRATION_ISSUER).replace(/\/+$/, '')
      return { issuer, clientId, clientSecret, standIn: new URL(issuer).protocol === 'http:' }
    }
    return standIn
  },

  get enabled() {
    return this.settings !== null
  },

  get demoWanted() {
    return ['1', 'true'].includes(process.env.FRANCECONNECT_DEMO?.trim() ?? '')
  },

  /** The demo's stand-in, once it listens (start_stand_in.ts); null to forget it. */
  useStandIn(settings: Omit<FranceConnectSettings, 'standIn'> | null) {
    standIn = settings ? { ...settings, standIn: true } : null
  },
}

export default franceconnectConfig

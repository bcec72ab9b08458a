/*
 * The demo: with FRANCECONNECT_DEMO=1 and no FRANCECONNECT_CLIENT_ID, the web server starts the
 * local FranceConnect on 127.0.0.1:4811 (FRANCECONNECT_DEMO_PORT; the API Particulier stand-in has 4810) and signs in through it.
 * Never in production; the tests start their own (tests/franceconnect_stand_in.ts).
 * Called by the manifest's `ready` hook, once the web server listens.
 */
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { absoluteRoute } from '#core/absolute_url'
import franceconnectConfig from '#modules/accounts/config/franceconnect'

export const DEMO_CLIENT = { clientId: 'portail-famille-demo', clientSecret: 'secret-de-demonstration-portail-famille' }

export default async function startInProcessStandIn() {
  if (!franceconnectConfig.demoWanted || process.env.FRANCECONNECT_CLIENT_ID) return
  if (app.getEnvironment() !== 'web' || app.inProduction || app.inTest) return
  const { startStandIn } = await import('#modules/accounts/franceconnect_stand_in/stand_in')
  const port = Number(process.env.FRANCECONNECT_DEMO_PORT || 4811)
  try {
    const standIn = await startStandIn(port, {
      ...DEMO_CLIENT,
      redirectUris: [absoluteRoute('auth.franceconnect.callback')],
      postLogoutRedirectUris: [absoluteRoute('auth.franceconnect.logged_out')],
    })
    franceconnectConfig.useStandIn({ issuer: standIn.issuer, ...DEMO_CLIENT })
    logger.info(`FranceConnect de démonstration démarré sur ${standIn.issuer}`)
    app.terminating(() => standIn.close())
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    logger.warn(`FranceConnect de démonstration : le port ${port} est pris, le bouton FranceConnect n'est pas proposé`)
  }
}

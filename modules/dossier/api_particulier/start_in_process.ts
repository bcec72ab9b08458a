/*
 * For the demo (API_PARTICULIER_DEMO=1, no token): the web server starts the API Particulier
 * stand-in in-process on 127.0.0.1:4810, where the portal then sends its calls. Never in
 * production nor in the tests (they start their own). Called by the manifest's `ready` hook.
 */
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import apiParticulierConfig, { DEMO_PORT, DEMO_URL } from '#modules/dossier/api_particulier/config'

export default async function startInProcessStandin() {
  if (!apiParticulierConfig.usesDemo || apiParticulierConfig.url !== DEMO_URL) return
  if (app.getEnvironment() !== 'web' || app.inProduction || app.inTest) return
  const { startApiParticulierStandin } = await import('#modules/dossier/api_particulier/standin')
  try {
    const standin = await startApiParticulierStandin(DEMO_PORT)
    logger.info(`API Particulier de démonstration démarrée sur ${standin.url} (identités de test publiées)`)
    app.terminating(() => standin.close())
  } catch (error) {
    // Already running (another process of the demo): use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
  }
}

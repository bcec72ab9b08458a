/*
 * For the demo on a developer's machine: when no PAYFIP_URL is configured, the web server
 * starts the PayFiP simulator in-process on 127.0.0.1:4800 (the default address of the
 * driver), so that "PAYER" works out of the box. Never in production or in tests.
 * Called by the manifest's `ready` hook, once the web server listens.
 */
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'

export default async function startInProcessSimulator() {
  const wanted = process.env.PAYFIP_SIMULATOR ?? (app.inDev && !process.env.PAYFIP_URL ? 'inprocess' : 'off')
  if (wanted !== 'inprocess' || app.getEnvironment() !== 'web' || app.inProduction) return

  const { startSimulator } = await import('#modules/billing/simulator/simulator')
  try {
    const simulator = await startSimulator(4800, { log: (line) => logger.info(`[payfip simulateur] ${line}`) })
    logger.info(`Simulateur PayFiP démarré sur ${simulator.url} (PAYFIP_URL non définie)`)
    app.terminating(() => simulator.close())
  } catch (error) {
    // Already running (another process, or the standalone server): use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
  }
}

import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'

/** The application's root: the server, the Ace commands and the tests boot the same app from it. */
export const APP_ROOT = new URL('../', import.meta.url)

function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/**
 * A graceful stop: the HTTP server stops accepting connections and waits for the requests in
 * flight (AdonisJS's terminating hook), then the providers close the database and Redis; one
 * log line says so. Requests still running after the grace period are abandoned (exit 1).
 */
async function stop(app: ApplicationService, signal: string) {
  const logger = await app.container.make('logger')
  const started = Date.now()
  // How long the requests in flight may take (the .env is loaded by now); systemd waits 90 s.
  const graceSeconds = Number(process.env.SHUTDOWN_GRACE_SECONDS || 30)
  const deadline = setTimeout(() => {
    logger.error(`Arrêt (${signal}) forcé après ${graceSeconds} s : des requêtes n'étaient pas terminées.`)
    process.exit(1)
  }, graceSeconds * 1000)
  deadline.unref()
  await app.terminate()
  clearTimeout(deadline)
  if (app.getEnvironment() === 'web') {
    logger.info(`Arrêt (${signal}) en ${Date.now() - started} ms : requêtes en cours terminées, base de données fermée.`)
  }
}

/** An Ignitor that validates the environment while booting and ends the app on SIGTERM (SIGINT under pm2). */
export function portalIgnitor() {
  return new Ignitor(APP_ROOT, { importer }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => stop(app, 'SIGTERM'))
    app.listenIf(app.managedByPm2, 'SIGINT', () => stop(app, 'SIGINT'))
  })
}

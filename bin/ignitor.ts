import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

/** The application's root: the server, the Ace commands and the tests boot the same app from it. */
export const APP_ROOT = new URL('../', import.meta.url)

function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** An Ignitor that validates the environment while booting and ends the app on SIGTERM (SIGINT under pm2). */
export function portalIgnitor() {
  return new Ignitor(APP_ROOT, { importer }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
}

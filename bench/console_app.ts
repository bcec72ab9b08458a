/*
 * For the bench's workers run in their own process: the portal booted as Ace boots it for a
 * command (console environment: no HTTP server, no mail queue sender), on the database its
 * environment names. The worker imports the app's services after this resolves.
 */
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)
const importer = (filePath: string) => (filePath.startsWith('./') || filePath.startsWith('../') ? import(new URL(filePath, APP_ROOT).href) : import(filePath))

export async function startConsoleApp() {
  const app = new Ignitor(APP_ROOT, { importer }).createApp('console')
  await app.init()
  app.booting(async () => {
    await import('#start/env')
  })
  await app.boot()
  await app.start(async () => {})
  return app
}

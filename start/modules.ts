/*
 * Mounts the enabled modules: their views as the Edge disk "<name>::", their routes and
 * their listeners. A disabled module is not imported at all, so it leaves nothing behind.
 */
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import edge from 'edge.js'
import router from '@adonisjs/core/services/router'
import emitter from '@adonisjs/core/services/emitter'
import app from '@adonisjs/core/services/app'
import portalConfig from '#config/portal'
import { modulePath, presentModules } from '#core/module_catalog'
import { flattenRoutes } from '#core/module_inventory'
import moduleRegistry, { loadManifests, parseModuleList, resolveEnabled } from '#core/module_registry'

const manifests = await loadManifests()
const enabled = resolveEnabled(manifests, parseModuleList(portalConfig.modules, presentModules()))
moduleRegistry.configure(manifests, enabled)

async function importIfPresent(name: string, file: string) {
  for (const extension of ['.js', '.ts']) {
    const path = modulePath(name, file + extension)
    if (existsSync(path)) {
      await import(pathToFileURL(path).href)
      return
    }
  }
}

for (const name of enabled) {
  if (existsSync(modulePath(name, 'views'))) {
    edge.mount(name, app.makeURL(`modules/${name}/views`))
  }
  const before = router.routes.length
  await importIfPresent(name, 'routes')
  moduleRegistry.recordRoutes(name, flattenRoutes(router.routes.slice(before)))
  const listenersBefore = emitter.listenerCount()
  await importIfPresent(name, 'listeners/main')
  moduleRegistry.recordListeners(name, emitter.listenerCount() - listenersBefore)
}

// Ace commands build URLs (mails with links): the HTTP server is not there to commit the routes.
if (app.getEnvironment() === 'console') router.commit()

/*
 * Mounts the enabled modules, in dependency order: their views as the Edge disk "<name>::",
 * their routes (each module's in a router group of its own) and their listeners; their
 * `ready` work once the web server listens. A disabled module is not imported at all, so it
 * leaves nothing behind.
 */
import { existsSync } from 'node:fs'
import edge from 'edge.js'
import router from '@adonisjs/core/services/router'
import emitter from '@adonisjs/core/services/emitter'
import app from '@adonisjs/core/services/app'
import portalConfig from '#config/portal'
import { modulePath } from '#core/module_catalog'
import { flattenRoutes } from '#core/module_inventory'
import { importScript } from '#core/script_file'
import moduleRegistry, { resolveModules } from '#core/module_registry'

const { manifests, enabled } = await resolveModules(portalConfig.modules)
moduleRegistry.configure(manifests, enabled)

/**
 * Imports a module's routes file with the router writing into a group of the module's own
 * (router.group() takes a synchronous callback; a routes file is imported asynchronously).
 */
async function importRoutes(name: string) {
  const group = router.group(() => {})
  const outside = router.routes
  router.routes = group.routes
  try {
    await importScript(modulePath(name, 'routes'))
  } finally {
    router.routes = outside
  }
  return flattenRoutes(group.routes)
}

for (const manifest of moduleRegistry.enabled) {
  const name = manifest.name
  if (existsSync(modulePath(name, 'views'))) {
    edge.mount(name, app.makeURL(`modules/${name}/views`))
  }
  moduleRegistry.recordRoutes(name, await importRoutes(name))
  const listenersBefore = emitter.listenerCount()
  await importScript(modulePath(name, 'listeners', 'main'))
  moduleRegistry.recordListeners(name, emitter.listenerCount() - listenersBefore)
}

if (app.getEnvironment() === 'web') {
  await app.ready(async () => {
    for (const manifest of moduleRegistry.enabled) await manifest.ready?.()
  })
}

// Ace commands build URLs (mails with links): the HTTP server is not there to commit the routes.
if (app.getEnvironment() === 'console') router.commit()

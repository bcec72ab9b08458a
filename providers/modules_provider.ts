/*
 * The one place that mounts the portal's modules, driven by their manifests (modules/<name>/module.ts),
 * in dependency order:
 * - boot: discovers them, checks PORTAL_MODULES against their `dependsOn` (one sentence when a
 *   dependency is off or a cycle exists) and mounts their views as the Edge disk "<name>::";
 * - start: imports their routes, each module's in a router group of its own, and their listeners;
 * - ready: their `ready` work once the web server listens (the PayFiP simulator of a developer's
 *   machine), and, outside the web server, the routes committed for the services that name them.
 * Their migrations are read by config/database.ts and their commands by start/module_commands.ts,
 * both from the same catalogue. A disabled module is not imported at all: it leaves nothing behind.
 */
import { existsSync } from 'node:fs'
import type { ApplicationService } from '@adonisjs/core/types'
import { modulePath } from '#core/module_catalog'
import { flattenRoutes } from '#core/module_inventory'
import { importScript } from '#core/script_file'
import moduleRegistry, { resolveModules } from '#core/module_registry'

export default class ModulesProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const { default: portalConfig } = await import('#config/portal')
    const { manifests, enabled } = await resolveModules(portalConfig.modules)
    moduleRegistry.configure(manifests, enabled)

    const { default: edge } = await import('edge.js')
    for (const manifest of moduleRegistry.enabled) {
      if (existsSync(modulePath(manifest.name, 'views'))) {
        edge.mount(manifest.name, this.app.makeURL(`modules/${manifest.name}/views`))
      }
    }
  }

  async start() {
    const emitter = await this.app.container.make('emitter')
    for (const manifest of moduleRegistry.enabled) {
      moduleRegistry.recordRoutes(manifest.name, await this.#importRoutes(manifest.name))
      const listenersBefore = emitter.listenerCount()
      await importScript(modulePath(manifest.name, 'listeners', 'main'))
      moduleRegistry.recordListeners(manifest.name, emitter.listenerCount() - listenersBefore)
    }
  }

  async ready() {
    const environment = this.app.getEnvironment()
    if (environment === 'web') {
      for (const manifest of moduleRegistry.enabled) await manifest.ready?.()
    }
    // Services name their routes (router.makeUrl): in Ace commands and in the test suites that
    // start no HTTP server, nothing else commits them (the web server does at boot; twice is a no-op).
    if (environment !== 'web') (await this.app.container.make('router')).commit()
  }

  /**
   * Imports a module's routes file with the router writing into a group of the module's own
   * (router.group() takes a synchronous callback; a routes file is imported asynchronously).
   */
  async #importRoutes(name: string) {
    const router = await this.app.container.make('router')
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
}

import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Prints every module: on or off, what it depends on, what it brings. */
export default class PortalModules extends BaseCommand {
  static commandName = 'portal:modules'
  static description = 'Liste les modules du portail : état, dépendances, routes, migrations, commandes'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: moduleRegistry } = await import('#core/module_registry')
    const { migrationFiles } = await import('#core/module_catalog')
    const { commandNamesOf } = await import('#start/module_commands')
    const { default: portalConfig } = await import('#config/portal')

    this.logger.log(
      `PORTAL_MODULES=${portalConfig.modules || '(non défini : tous les modules sont activés)'}\n`
    )
    for (const manifest of moduleRegistry.all) {
      const on = moduleRegistry.isEnabled(manifest.name)
      const state = on ? this.colors.green('activé') : this.colors.yellow('désactivé')
      this.logger.log(`${this.colors.bold(manifest.name)} — ${manifest.label} [${state}]`)
      this.logger.log(`  ${manifest.description}`)
      this.logger.log(`  dépend de : ${manifest.dependsOn.length ? manifest.dependsOn.join(', ') : 'aucun module'}`)
      const routes = moduleRegistry.routesOf(manifest.name)
      if (on) {
        this.logger.log(`  routes (${routes.length}) :`)
        for (const route of routes) {
          this.logger.log(`    ${route.methods.join('|').padEnd(10)} ${route.pattern}${route.name ? `  (${route.name})` : ''}`)
        }
      } else {
        this.logger.log('  routes : aucune (module désactivé : ses adresses répondent 404)')
      }
      const listeners = moduleRegistry.listenersOf(manifest.name)
      this.logger.log(`  écouteurs d'événements : ${listeners ? listeners : 'aucun'}${on ? '' : ' (module désactivé)'}`)
      const migrations = migrationFiles(manifest.name)
      this.logger.log(`  migrations (${migrations.length}, exécutées même module désactivé) : ${migrations.join(', ') || '—'}`)
      const commands = await commandNamesOf(manifest.name)
      this.logger.log(
        `  commandes : ${commands.length ? commands.join(', ') + (on ? '' : ' (refusées tant que le module est désactivé)') : '—'}`
      )
      this.logger.log('')
    }
  }
}

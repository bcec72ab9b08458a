import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { DemoLogin } from '#core/demo'

/**
 * Fills an empty database with the demo commune: the core's identity, then each enabled
 * module's demo seeder in dependency order. Runs once; later runs print the logins again.
 */
export default class PortalDemo extends BaseCommand {
  static commandName = 'portal:demo'
  static description = 'Crée la commune de démonstration (une seule fois) et affiche les identifiants'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Affiche seulement les identifiants, sans rien créer' })
  declare loginsOnly: boolean

  async run() {
    const { seedDemoCommune, storedDemoLogins } = await import('#services/demo_seeder')
    const stored = await storedDemoLogins()
    if (stored || this.loginsOnly) {
      this.printLogins(stored ?? [])
      return
    }
    const logins = await seedDemoCommune((name) => this.logger.info(`Démo : module ${name} prêt.`))
    this.printLogins(logins)
  }

  private printLogins(logins: DemoLogin[]) {
    if (!logins.length) {
      this.logger.info('Aucun identifiant de démonstration (aucun module ne fournit de compte).')
      return
    }
    this.logger.log('\nIdentifiants de la commune de démonstration :')
    for (const login of logins) {
      this.logger.log(`  ${login.role.padEnd(16)} ${login.username.padEnd(18)} ${login.password}${login.note ? `  (${login.note})` : ''}`)
    }
    this.logger.log('')
  }
}

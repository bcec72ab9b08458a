import { existsSync } from 'node:fs'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

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
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { DateTime } = await import('luxon')
    const { default: moduleRegistry } = await import('#core/module_registry')
    const { modulePath } = await import('#core/module_catalog')
    const { default: communeSettings } = await import('#services/commune_settings')
    const { applySetup } = await import('#services/commune_setup_apply')
    const { validateSetup } = await import('#services/commune_setup')
    const { DEMO_PASSWORD } = await import('#core/demo')
    type DemoContext = import('#core/demo').DemoContext

    const stored = await db.from('portal_settings').where('key', 'demo').first()
    if (stored || this.loginsOnly) {
      this.printLogins(stored ? JSON.parse(stored.value) : [])
      return
    }

    if (!(await communeSettings.isConfigured())) {
      const { setup, errors } = await validateSetup(
        {
          name: 'Colomars',
          colorPrimary: '#1f4e79',
          colorPrimaryContrast: '#ffffff',
          colorAccent: '#8a3b12',
          contacts: [
            'Service Enfance-Jeunesse|04 93 00 00 01|1 place de la Mairie, 06670 Colomars|enfance@colomars.example',
            'Accueil de loisirs|04 93 00 00 02|Chemin des écoles, 06670 Colomars',
            'Restauration scolaire|04 93 00 00 03|Groupe scolaire, 06670 Colomars',
          ],
        },
        await communeSettings.fresh(),
        () => null
      )
      if (!setup) throw new Error(errors.join(' '))
      await applySetup(setup)
    }

    const demo: DemoContext = {
      logins: [],
      state: {},
      now: DateTime.now().setZone('Europe/Paris'),
      enabled: (name) => moduleRegistry.isEnabled(name),
    }
    for (const manifest of moduleRegistry.enabled) {
      for (const file of ['database/seeders/demo.js', 'database/seeders/demo.ts']) {
        const path = modulePath(manifest.name, file)
        if (!existsSync(path)) continue
        const { default: seed } = await import(new URL(`file://${path}`).href)
        await seed(demo)
        this.logger.info(`Démo : module ${manifest.name} prêt.`)
        break
      }
    }
    const logins = demo.logins.map((login) => ({ ...login, password: login.password ?? DEMO_PASSWORD }))
    await db.table('portal_settings').insert({ key: 'demo', value: JSON.stringify(logins), updated_at: new Date() })
    this.printLogins(logins)
  }

  private printLogins(logins: { role: string; username: string; password: string; note?: string }[]) {
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

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import moduleRegistry from '#core/module_registry'
import { modulePath } from '#core/module_catalog'
import { importScript } from '#core/script_file'
import communeSettings from '#services/commune_settings'
import { applySetup } from '#services/commune_setup_apply'
import { existingServiceNames, validateSetup } from '#services/commune_setup'
import { DEMO_PASSWORD, type DemoContext, type DemoLogin } from '#core/demo'

const DEMO_COMMUNE = {
  name: 'Colomars',
  colorPrimary: '#1f4e79',
  colorPrimaryContrast: '#ffffff',
  colorAccent: '#8a3b12',
  contacts: [
    'Service Enfance-Jeunesse|04 93 00 00 01|1 place de la Mairie, 06670 Colomars|enfance@colomars.example',
    'Accueil de loisirs|04 93 00 00 02|Chemin des écoles, 06670 Colomars',
    'Restauration scolaire|04 93 00 00 03|Groupe scolaire, 06670 Colomars',
  ],
}

/** The logins of an already seeded demo, or null when the database has no demo. */
export async function storedDemoLogins(): Promise<DemoLogin[] | null> {
  const stored = await db.from('portal_settings').where('key', 'demo').first()
  return stored ? JSON.parse(stored.value) : null
}

/**
 * Builds the demo commune: the core's identity (unless already configured), then each enabled
 * module's demo seeder in dependency order, each adding its part. Returns the logins.
 */
export async function seedDemoCommune(onModule: (name: string) => void = () => {}): Promise<DemoLogin[]> {
  if (!(await communeSettings.isConfigured())) {
    const { setup, errors } = await validateSetup(DEMO_COMMUNE, await communeSettings.fresh(), {
      checkModules: () => null,
      existingServices: await existingServiceNames(),
    })
    if (!setup) throw new Error(errors.map((error) => error.message).join(' '))
    await applySetup(setup)
  }
  const demo: DemoContext = {
    logins: [],
    state: {},
    now: DateTime.now().setZone('Europe/Paris'),
    enabled: (name) => moduleRegistry.isEnabled(name),
  }
  for (const manifest of moduleRegistry.enabled) {
    const seeder = await importScript<{ default: (demo: DemoContext) => Promise<void> }>(
      modulePath(manifest.name, 'database', 'seeders', 'demo')
    )
    if (!seeder) continue
    await seeder.default(demo)
    onModule(manifest.name)
  }
  const logins = demo.logins.map((login) => ({ ...login, password: login.password ?? DEMO_PASSWORD }))
  await db.table('portal_settings').insert({ key: 'demo', value: JSON.stringify(logins), updated_at: dbTime() })
  return logins
}

import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import drive from '@adonisjs/drive/services/main'
import communeSettings from '#services/commune_settings'
import { DEFAULT_SERVICE, DEFAULT_TOPICS, type ValidSetup } from '#services/commune_setup'
import { de } from '#core/french'
import moduleRegistry from '#core/module_registry'
import type { AdministratorReport } from '#core/module_manifest'

export interface SetupReport {
  servicesCreated: string[]
  topicsCreated: string[]
  admin?: AdministratorReport
  modulesWritten?: string
}

/** Writes PORTAL_MODULES into the .env file, replacing the line or adding it. */
export async function writeModulesToEnv(envFile: string, modules: string) {
  const content = existsSync(envFile) ? await readFile(envFile, 'utf8') : ''
  const line = `PORTAL_MODULES=${modules}`
  const next = /^#?\s*PORTAL_MODULES=.*$/m.test(content)
    ? content.replace(/^#?\s*PORTAL_MODULES=.*$/m, line)
    : content + (content.endsWith('\n') || !content ? '' : '\n') + line + '\n'
  await writeFile(envFile, next)
}

/**
 * Applies a validated setup. Running it again updates what exists and adds what is
 * missing: services and topics are matched by name, the administrator by email.
 */
export async function applySetup(setup: ValidSetup, envFile?: string): Promise<SetupReport> {
  const report: SetupReport = { servicesCreated: [], topicsCreated: [] }
  let logoPath: string | undefined
  if (setup.logo) {
    logoPath = `branding/logo.${setup.logo.extension}`
    await drive.use().put(logoPath, setup.logo.bytes)
  }

  await db.transaction(async (trx) => {
    const now = dbTime()
    const existing = await trx.from('services').select('id', 'name')
    const wanted = setup.services ?? (existing.length ? [] : [DEFAULT_SERVICE])
    const serviceIds = new Map(existing.map((row) => [row.name, row.id]))
    for (const [index, name] of wanted.entries()) {
      if (serviceIds.has(name)) continue
      const [inserted] = await trx.table('services').insert({ name, position: existing.length + index, created_at: now, updated_at: now }).returning('id')
      serviceIds.set(name, typeof inserted === 'object' ? inserted.id : inserted)
      report.servicesCreated.push(name)
    }

    let topics = setup.topics
    if (!topics) {
      const defaultId = serviceIds.get(DEFAULT_SERVICE) ?? serviceIds.values().next().value
      const count = defaultId ? await trx.from('service_topics').where('service_id', defaultId).count('* as total') : [{ total: 1 }]
      const serviceName = [...serviceIds.entries()].find(([, id]) => id === defaultId)?.[0]
      topics = Number(count[0].total) === 0 && serviceName ? DEFAULT_TOPICS.map((name) => ({ service: serviceName, name })) : []
    }
    for (const [index, topic] of topics.entries()) {
      const serviceId = serviceIds.get(topic.service)
      const found = await trx.from('service_topics').where({ service_id: serviceId, name: topic.name }).first()
      if (found) continue
      await trx.table('service_topics').insert({ service_id: serviceId, name: topic.name, position: index, created_at: now, updated_at: now })
      report.topicsCreated.push(`${topic.service} : ${topic.name}`)
    }
  })

  await communeSettings.update({
    name: setup.name,
    colorPrimary: setup.colorPrimary,
    colorPrimaryContrast: setup.colorPrimaryContrast,
    colorAccent: setup.colorAccent,
    ...(setup.contacts ? { contacts: setup.contacts } : {}),
    ...(logoPath ? { logoPath, logoAlt: `Logo ${de(setup.name)}` } : {}),
  })

  if (setup.admin) {
    const setupAdministrator = moduleRegistry.hook('portal.setup-administrator')
    if (!setupAdministrator) throw new Error("Aucun module activé ne gère les comptes : l'administrateur ne peut pas être créé.")
    report.admin = await setupAdministrator(setup.admin)
  }
  if (setup.modules !== null && envFile) {
    await writeModulesToEnv(envFile, setup.modules)
    report.modulesWritten = setup.modules
  }
  return report
}

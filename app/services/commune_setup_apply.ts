import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
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

/** A new name for each logo: the old file stays until the new one is committed, and no cache shows the old one. */
function newLogoPath(extension: string) {
  return `branding/logo-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.${extension}`
}

/**
 * Applies a validated setup in one transaction: services, topics, the commune's identity and the
 * administrator. The new logo is stored as the transaction's last step, under a new name, and
 * deleted again if the commit fails; the old logo is deleted only once the commit succeeded. A
 * failure therefore leaves the database and the files as they were. Running it again updates
 * what exists and adds what is missing: services and topics matched by name, the administrator
 * by email.
 */
export async function applySetup(setup: ValidSetup, envFile?: string): Promise<SetupReport> {
  const report: SetupReport = { servicesCreated: [], topicsCreated: [] }
  const disk = drive.use()
  const oldLogo = (await communeSettings.fresh()).logoPath
  let logoPath: string | undefined

  try {
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
        // validateSetup refuses it first; kept so that a caller skipping it gets a sentence, not a Knex error.
        if (serviceId === undefined) throw new Error(`Le thème « ${topic.name} » nomme un service inconnu : « ${topic.service} ».`)
        const found = await trx.from('service_topics').where({ service_id: serviceId, name: topic.name }).first()
        if (found) continue
        await trx.table('service_topics').insert({ service_id: serviceId, name: topic.name, position: index, created_at: now, updated_at: now })
        report.topicsCreated.push(`${topic.service} : ${topic.name}`)
      }

      const newLogo = setup.logo ? newLogoPath(setup.logo.extension) : undefined
      await communeSettings.update(
        {
          name: setup.name,
          colorPrimary: setup.colorPrimary,
          colorPrimaryContrast: setup.colorPrimaryContrast,
          colorAccent: setup.colorAccent,
          ...(setup.contacts ? { contacts: setup.contacts } : {}),
          ...(newLogo ? { logoPath: newLogo, logoAlt: `Logo ${de(setup.name)}` } : {}),
        },
        trx
      )

      if (setup.admin) {
        const setupAdministrator = moduleRegistry.hook('portal.setup-administrator')
        if (!setupAdministrator) throw new Error("Aucun module activé ne gère les comptes : l'administrateur ne peut pas être créé.")
        report.admin = await setupAdministrator(setup.admin, trx)
      }

      if (setup.logo && newLogo) {
        await disk.put(newLogo, setup.logo.bytes)
        logoPath = newLogo
      }
    })
  } catch (error) {
    if (logoPath) await disk.delete(logoPath).catch(() => {})
    throw error
  }
  communeSettings.invalidate()
  if (logoPath && oldLogo && oldLogo !== logoPath) await disk.delete(oldLogo).catch(() => {})

  if (setup.modules !== null && envFile) {
    await writeModulesToEnv(envFile, setup.modules)
    report.modulesWritten = setup.modules
  }
  return report
}

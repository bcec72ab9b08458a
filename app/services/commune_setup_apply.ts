import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import drive from '@adonisjs/drive/services/main'
import communeSettings from '#services/commune_settings'
import { DEFAULT_SERVICE, DEFAULT_TOPICS, type ValidSetup } from '#services/commune_setup'
import { de } from '#core/french'

export interface SetupReport {
  servicesCreated: string[]
  topicsCreated: string[]
  admin?: { username: string; created: boolean; activationUrl?: string; expiresAt?: string; state: string }
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

  if (setup.admin) report.admin = await ensureAdministrator(setup.admin)
  if (setup.modules !== null && envFile) {
    await writeModulesToEnv(envFile, setup.modules)
    report.modulesWritten = setup.modules
  }
  return report
}

async function ensureAdministrator(admin: NonNullable<ValidSetup['admin']>) {
  const { User, accountService } = await import('#modules/accounts/index')
  let user = await User.query().where('email', admin.email).first()
  const created = !user
  if (!user) {
    user = await accountService.createPendingAccount({
      email: admin.email,
      fullName: admin.fullName,
      role: 'admin',
      username: admin.username,
    })
  } else {
    user.role = 'admin'
    user.fullName = admin.fullName
    await user.save()
  }
  const result: NonNullable<SetupReport['admin']> = { username: user.username, created, state: user.state }
  if (user.state === 'pending') {
    const link = await accountService.issueActivationLink(user)
    result.activationUrl = link.url
    result.expiresAt = link.expiresAt.toISO?.() ?? String(link.expiresAt)
  }
  return result
}

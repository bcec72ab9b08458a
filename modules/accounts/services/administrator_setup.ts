import type { AdministratorInput, AdministratorReport } from '#core/module_manifest'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#modules/accounts/models/user'
import accountService from '#modules/accounts/services/account_service'

/**
 * portal:setup's administrator, matched by email: created pending with an activation link, or
 * given the admin role again (its name updated) when it exists.
 */
export async function setupAdministrator(admin: AdministratorInput, client?: TransactionClientContract): Promise<AdministratorReport> {
  let user = await User.query({ client }).where('email', admin.email).first()
  const created = !user
  if (!user) {
    user = await accountService.createPendingAccount(
      { email: admin.email, fullName: admin.fullName, role: 'admin', username: admin.username },
      client
    )
  } else {
    user.role = 'admin'
    user.fullName = admin.fullName
    await user.save()
  }
  const report: AdministratorReport = { username: user.username, created, state: user.state }
  if (user.state === 'pending') {
    const link = await accountService.issueActivationLink(user, client)
    report.activationUrl = link.url
    report.expiresAt = link.expiresAt.toISO?.() ?? String(link.expiresAt)
  }
  return report
}

/** What setupAdministrator would refuse: a new administrator's username already taken. */
export async function administratorProblem(admin: AdministratorInput): Promise<{ field: 'username'; message: string } | null> {
  const username = admin.username?.trim().toLowerCase()
  // An existing administrator is found by its email and keeps its username.
  if (!username || (await User.query().where('email', admin.email).first())) return null
  const owner = await User.query().where('username', username).first()
  if (!owner) return null
  return { field: 'username', message: `Le nom d'utilisateur « ${username} » est déjà pris.` }
}

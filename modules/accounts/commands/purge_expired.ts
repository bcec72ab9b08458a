import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

/**
 * Deletes the logins of accounts not activated within their 96-hour window, as the
 * activation mail announces. The family file stays: only the login goes.
 */
export default class PurgeExpired extends ModuleCommand {
  static module = 'accounts'
  static commandName = 'accounts:purge-expired'
  static description = "Supprime les comptes non activés dont le lien d'activation a expiré (le dossier de la famille est conservé)"
  static options = { startApp: true }

  @flags.boolean({ description: 'Affiche les comptes qui seraient supprimés, sans rien supprimer' })
  declare dryRun: boolean

  @flags.number({ description: "Seulement ceux dont le lien a expiré depuis plus de N heures (0 par défaut)" })
  declare olderThan: number

  async run() {
    const { default: accountService } = await import('#modules/accounts/services/account_service')
    const { default: audit } = await import('#services/audit_service')
    const { formatDateTime } = await import('#core/format')

    const hours = this.olderThan ?? 0
    if (!Number.isFinite(hours) || hours < 0) {
      this.logger.error('--older-than attend un nombre d’heures positif ou nul.')
      this.exitCode = 1
      return
    }
    const { default: User } = await import('#modules/accounts/models/user')
    const found = await accountService.expiredPendingQuery(hours)
    // Never lock the commune out: while no administrator is active, pending ones stay.
    const activeAdmin = await User.query().where('role', 'admin').where('state', 'active').first()
    const keptAdmins = activeAdmin ? [] : found.filter((user) => user.isAdmin)
    const expired = found.filter((user) => !keptAdmins.includes(user))
    for (const user of keptAdmins) {
      this.logger.warning(
        `conservé : ${user.username} — ${user.fullName}, administrateur en attente et aucun administrateur n'est actif ; ` +
          `nouveau lien : node ace portal:setup (même courriel) ou node ace accounts:send-activations --all-pending.`
      )
    }
    if (!expired.length) {
      this.logger.info("Aucun compte en attente dont le lien d'activation a expiré : rien à supprimer.")
      return
    }
    const verb = this.dryRun ? 'serait supprimé' : 'supprimé'
    for (const user of expired) {
      if (!this.dryRun) {
        await accountService.deleteLogin(user)
        await audit.record({
          action: 'accounts.purged',
          subjectType: 'user',
          subjectId: user.id,
          details: { username: user.username, expiredAt: user.activationExpiresAt?.toISO() },
        })
      }
      this.logger.log(`  ${verb} : ${user.username} — ${user.fullName} (lien expiré le ${formatDateTime(user.activationExpiresAt)})`)
    }
    this.logger.info(
      this.dryRun
        ? `Simulation : ${expired.length} ${expired.length >= 2 ? 'comptes seraient supprimés' : 'compte serait supprimé'}. Les dossiers des familles ne sont pas touchés.`
        : `${expired.length} ${expired.length >= 2 ? 'comptes supprimés' : 'compte supprimé'}. Les dossiers des familles sont conservés.`
    )
  }
}

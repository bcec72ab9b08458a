import { flags } from '@adonisjs/core/ace'
import { DateTime } from 'luxon'
import ModuleCommand from '#core/module_command'

/**
 * Mails the activation link to pending accounts: by default those never mailed, so a second
 * run mails nobody twice; a failed address is reported and retried at the next run. The link
 * portal:setup printed for the first administrator is left alone while it is valid (mailing
 * a new one would kill it); --all-pending replaces it and says so.
 */
export default class SendActivations extends ModuleCommand {
  static module = 'accounts'
  static commandName = 'accounts:send-activations'
  static description = "Envoie le lien d'activation (96 h) aux comptes en attente qui ne l'ont pas encore reçu"
  static options = { startApp: true }

  @flags.boolean({ description: "Aussi les comptes en attente déjà prévenus (nouveau lien de 96 h pour chacun)" })
  declare allPending: boolean

  @flags.string({ description: "Seulement les responsables de la famille de cette référence (module dossier)" })
  declare family: string

  @flags.boolean({ description: 'Affiche qui recevrait le lien, sans rien envoyer' })
  declare dryRun: boolean

  async run() {
    const { default: moduleRegistry } = await import('#core/module_registry')
    const { default: User } = await import('#modules/accounts/models/user')
    const { default: accountService } = await import('#modules/accounts/services/account_service')
    const { ProgressBar } = await import('#core/progress_bar')
    const { default: mail } = await import('@adonisjs/mail/services/main')

    // Read-only accesses are invited (and re-invited) by a guardian, with their own mail.
    const query = User.query().where('state', 'pending').whereNot('role', 'pickup').orderBy('id')
    if (!this.allPending) query.whereNull('activationSentAt')

    if (this.family) {
      // Families are dossier's: it answers when it is on (accounts cannot depend on it).
      const familyLogins = moduleRegistry.hook('accounts.family-logins')
      if (!familyLogins) {
        this.logger.error(
          `--family ${this.family} : aucun module activé ne gère les familles (module dossier désactivé) ; rien n'a été envoyé. Lancez la commande sans --family, ou activez le module dossier.`
        )
        this.exitCode = 1
        return
      }
      const userIds = await familyLogins(this.family)
      if (!userIds) {
        this.logger.error(`Aucune famille de référence « ${this.family} » : rien n'a été envoyé.`)
        this.exitCode = 1
        return
      }
      query.whereIn('id', userIds)
    }

    const { formatDateTime } = await import('#core/format')
    const candidates = await query
    const now = DateTime.utc()
    // A link issued but never mailed is the one portal:setup printed for an administrator.
    const printed = (user: InstanceType<typeof User>) => !user.activationSentAt && !!user.activationExpiresAt && user.activationExpiresAt > now
    const kept = this.allPending ? [] : candidates.filter(printed)
    const replaced = this.allPending ? candidates.filter((user) => user.email && printed(user)) : []
    const withEmail = candidates.filter((user) => user.email && !kept.includes(user))
    const skipped = [
      ...candidates.filter((user) => !user.email).map((user) => ({ user, reason: "pas d'adresse électronique" })),
      ...kept.map((user) => ({
        user,
        reason: `le lien affiché par portal:setup reste valable jusqu'au ${formatDateTime(user.activationExpiresAt)} ; --all-pending le remplace par un lien envoyé par courriel`,
      })),
    ]

    if (this.dryRun) {
      this.logger.info(`Simulation : ${withEmail.length} ${withEmail.length >= 2 ? 'comptes recevraient' : 'compte recevrait'} un lien d'activation${skipped.length ? `, ${skipped.length} ${skipped.length >= 2 ? 'ignorés' : 'ignoré'}` : ''}.`)
      for (const user of withEmail) this.logger.log(`  ${user.username} <${user.email}> — ${user.fullName}`)
      for (const { user, reason } of skipped) this.logger.log(`  ignoré : ${user.username} — ${user.fullName} (${reason})`)
      return
    }

    const sent: string[] = []
    const failed: { user: InstanceType<typeof User>; reason: string }[] = []
    const progress = new ProgressBar(withEmail.length, "Liens d'activation")
    const queue = [...withEmail]
    const worker = async () => {
      for (let user = queue.shift(); user; user = queue.shift()) {
        try {
          await accountService.sendActivation(user)
          sent.push(user.username)
        } catch (error) {
          failed.push({ user, reason: error instanceof Error ? error.message : String(error) })
        }
        progress.tick()
      }
    }
    await Promise.all(Array.from({ length: Math.min(5, withEmail.length) }, worker))
    progress.finish()
    await mail.closeAll()

    this.logger.info(`Envoyés : ${sent.length} — ignorés : ${skipped.length} — en échec : ${failed.length}`)
    for (const { user, reason } of skipped) this.logger.warning(`ignoré : ${user.username} — ${user.fullName} (${reason})`)
    for (const user of replaced.filter((candidate) => sent.includes(candidate.username))) {
      this.logger.warning(`${user.username} : le lien affiché par portal:setup ne fonctionne plus ; utilisez celui envoyé à ${user.email}.`)
    }
    for (const { user, reason } of failed) {
      this.logger.error(`échec : ${user.username} <${user.email}> — ${reason} (il sera retenté au prochain lancement)`)
    }
    if (failed.length) this.exitCode = 1
  }
}

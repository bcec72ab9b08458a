import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingGenerate extends ModuleCommand {
  static commandName = 'billing:generate'
  static description =
    "Émet les factures d'un mois pour chaque famille (jours réservés du planning, absences, réservations hors délai, frais d'inscription) ; relancer ne change rien aux factures émises."
  static module = 'billing'
  static help = ['  node ace billing:generate --month 2026-09', '  node ace billing:generate --month 2026-12 --force   (mois pas encore terminé)']

  @flags.string({ description: 'Mois à facturer, AAAA-MM (par défaut : le mois précédent)' })
  declare month?: string

  @flags.boolean({ description: "Émettre les factures d'un mois qui n'est pas encore terminé" })
  declare force?: boolean

  async run() {
    const { DateTime } = await import('luxon')
    const { ProgressBar } = await import('#core/progress_bar')
    const { default: invoiceService } = await import('#modules/billing/services/invoice_service')
    const { monthLabel, monthNotEnded } = await import('#modules/billing/services/billing_month')
    const { planningSource } = await import('#modules/billing/services/planning_source')
    const { isMonth } = await import('#modules/billing/services/billing_source')
    const { de, formatMoney, plural } = await import('#core/french')

    const month = this.month ?? DateTime.now().setZone('Europe/Paris').minus({ months: 1 }).toFormat('yyyy-MM')
    if (!isMonth(month)) {
      this.logger.error(`Mois invalide : « ${month} ». Format attendu : AAAA-MM (exemple : 2026-09).`)
      this.exitCode = 1
      return
    }
    const notEnded = this.force ? null : monthNotEnded(month)
    if (notEnded) {
      this.logger.error(`${notEnded} Pour les émettre quand même, relancez avec --force.`)
      this.exitCode = 1
      return
    }
    let bar: InstanceType<typeof ProgressBar> | null = null
    const started = Date.now()
    const summary = await invoiceService.generateMonth(month, planningSource, {
      force: Boolean(this.force),
      onFamilies: (count) => (bar = new ProgressBar(count, `Factures ${de(monthLabel(month))}`)),
      onProgress: () => bar?.tick(),
    })
    ;(bar as InstanceType<typeof ProgressBar> | null)?.finish()
    const seconds = (Date.now() - started) / 1000
    this.logger.success(`${plural(summary.created, 'facture émise', 'factures émises')} pour ${monthLabel(month)}, ${formatMoney(summary.totalCents)} au total (${seconds.toFixed(1)} s).`)
    if (summary.alreadyIssued) this.logger.info(`${plural(summary.alreadyIssued, 'famille déjà facturée', 'familles déjà facturées')} pour ce mois : ${summary.alreadyIssued >= 2 ? 'inchangées' : 'inchangée'}.`)
    if (summary.withoutAmount) this.logger.info(`${plural(summary.withoutAmount, 'famille')} sans montant à facturer (absences justifiées seulement).`)
    if (summary.problems.length) {
      this.logger.warning(`${plural(summary.problems.length, 'problème')} : ${summary.problems.length >= 2 ? 'ces familles' : 'cette famille'} ${summary.problems.length >= 2 ? 'ne sont pas facturées' : "n'est pas facturée"} ; corrigez puis relancez.`)
      for (const problem of summary.problems.slice(0, 20)) this.logger.warning(`  famille ${problem.familyId} : ${problem.message}`)
      this.exitCode = 1
    }
  }
}

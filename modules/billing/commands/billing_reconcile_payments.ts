import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingReconcilePayments extends ModuleCommand {
  static commandName = 'billing:reconcile-payments'
  static description =
    "Rapproche les paiements PayFiP dont la notification n'est jamais arrivée : chaque opération en cours est relue auprès de PayFiP et soldée une seule fois."
  static module = 'billing'

  @flags.number({ description: 'Ne relire que les opérations ouvertes depuis au moins N minutes (défaut 2)' })
  declare olderThan?: number

  async run() {
    const { ProgressBar } = await import('#core/progress_bar')
    const { formatNumber, plural } = await import('#core/french')
    const { default: paymentService } = await import('#modules/billing/services/payment/payment_service')
    const pending = await paymentService.toReconcile(this.olderThan ?? 2).count('* as total')
    const bar = new ProgressBar(Number(pending[0].$extras.total), 'Opérations PayFiP')
    const result = await paymentService.reconcile(this.olderThan ?? 2, () => bar.tick())
    bar.finish()
    const c = result.counts
    this.logger.success(
      `${plural(result.checked, 'opération relue', 'opérations relues')} : ${plural(c.paid, 'payée', 'payées')}, ${plural(c['already-settled'], 'déjà soldée', 'déjà soldées')}, ${plural(c.refused, 'refusée', 'refusées')}, ${plural(c.abandoned, 'abandonnée', 'abandonnées')}, ${plural(c.expired, 'expirée', 'expirées')}, ${formatNumber(c.pending)} encore en cours.`
    )
    if (c.errors) {
      this.logger.error(`${plural(c.errors, "opération n'a pas pu être relue", "opérations n'ont pas pu être relues")} (PayFiP injoignable ?) : relancez plus tard.`)
      this.exitCode = 1
    }
  }
}

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
    const { default: paymentService } = await import('#modules/billing/services/payment/payment_service')
    const pending = await paymentService.toReconcile(this.olderThan ?? 2).count('* as total')
    const bar = new ProgressBar(Number(pending[0].$extras.total), 'Opérations PayFiP')
    const result = await paymentService.reconcile(this.olderThan ?? 2, () => bar.tick())
    bar.finish()
    const c = result.counts
    this.logger.success(
      `${result.checked} opération(s) relue(s) : ${c.paid} payée(s), ${c['already-settled']} déjà soldée(s), ${c.refused} refusée(s), ${c.abandoned} abandonnée(s), ${c.expired} expirée(s), ${c.pending} encore en cours.`
    )
    if (c.errors) {
      this.logger.error(`${c.errors} opération(s) n'ont pas pu être relues (PayFiP injoignable ?) : relancez plus tard.`)
      this.exitCode = 1
    }
  }
}

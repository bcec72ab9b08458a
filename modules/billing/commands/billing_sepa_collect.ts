import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingSepaCollect extends ModuleCommand {
  static commandName = 'billing:sepa-collect'
  static description =
    'Enregistre comme payées les factures dont le prélèvement est arrivé à sa date (à lancer chaque jour) : un rejet importé ensuite annule ce paiement ; rien n’est enregistré deux fois.'
  static module = 'billing'
  static help = ['  node ace billing:sepa-collect', '  node ace billing:sepa-collect --date 2026-11-10']

  @flags.string({ description: 'Jour de référence AAAA-MM-JJ (par défaut aujourd’hui) : les prélèvements datés de ce jour ou avant' })
  declare date?: string

  async run() {
    const { DateTime } = await import('luxon')
    const { ProgressBar } = await import('#core/progress_bar')
    const { formatMoney, plural } = await import('#core/french')
    const { default: debitCollectionService } = await import('#modules/billing/services/sepa/debit_collection')
    const { todayInParis } = await import('#modules/billing/services/tariff_service')

    if (this.date !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(this.date) && DateTime.fromISO(this.date).isValid)) {
      this.logger.error(`--date : « ${this.date} » n'est pas une date (format attendu AAAA-MM-JJ, par exemple 2026-11-10). Rien n'a été enregistré.`)
      this.exitCode = 1
      return
    }
    const due = await debitCollectionService.due(this.date ?? todayInParis()).count('* as total')
    const bar = new ProgressBar(Number(due[0].total), 'Prélèvements')
    let counted = 0
    const run = await debitCollectionService.collectDue({
      today: this.date,
      onProgress: (done) => {
        bar.tick(done - counted)
        counted = done
      },
    })
    bar.finish()
    if (!run.collected) {
      this.logger.info('Aucun prélèvement arrivé à sa date qui ne soit déjà enregistré : rien à faire.')
      return
    }
    this.logger.success(`${plural(run.collected, 'prélèvement enregistré', 'prélèvements enregistrés')} comme paiement : ${formatMoney(run.collectedCents)}.`)
    if (run.overpaidCents) this.logger.warning(`Dont ${formatMoney(run.overpaidCents)} de trop-perçu (avoir émis après l’envoi du fichier) : à rembourser depuis la page Facturation.`)
  }
}

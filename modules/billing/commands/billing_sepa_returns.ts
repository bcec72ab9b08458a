import { args, flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingSepaReturns extends ModuleCommand {
  static commandName = 'billing:sepa-returns'
  static description =
    'Importe les rejets de prélèvement de la banque (compte rendu pain.002.001.03) : factures de nouveau à payer, mandats repassés en FRST, familles prévenues ; un fichier importé deux fois ne s’applique qu’une fois.'
  static module = 'billing'
  static help = ['  node ace billing:sepa-returns retours-banque.xml', '  node ace billing:sepa-returns retours-banque.xml --skip-unknown']

  @args.string({ description: 'Fichier pain.002.001.03 reçu de la banque' })
  declare file: string

  @flags.boolean({ description: 'Appliquer les rejets connus même si le fichier en nomme d’autres, inconnus du lot' })
  declare skipUnknown?: boolean

  async run() {
    const { existsSync, readFileSync, statSync } = await import('node:fs')
    const { basename, resolve } = await import('node:path')
    const { default: debitReturnService, UnknownDebitsError } = await import('#modules/billing/services/sepa/debit_return_service')
    const { BillingError } = await import('#modules/billing/services/billing_error')
    const { formatMoney, plural } = await import('#core/french')

    const path = resolve(this.file)
    if (!existsSync(path) || !statSync(path).isFile()) return this.fail(`Le fichier ${path} n'existe pas : rien n'a été appliqué.`)
    let result
    try {
      result = await debitReturnService.import(readFileSync(path, 'utf8'), basename(path), { skipUnknown: this.skipUnknown ?? false })
    } catch (error) {
      if (error instanceof UnknownDebitsError) {
        this.fail(error.message)
        for (const id of error.unknown) this.logger.error(`  ${id} : aucune ligne de ce lot ne porte cet identifiant (OrgnlEndToEndId)`)
        return
      }
      if (error instanceof BillingError) {
        this.fail(error.message)
        if (!error.message.includes('rien n’a été appliqué')) this.logger.error("Rien n'a été appliqué.")
        return
      }
      throw error
    }
    const { report, batch, applied, alreadyApplied, skipped } = result
    const describe = (item: (typeof applied)[number]) =>
      `  facture n° ${item.invoiceNumber} (${item.familyName}), ${formatMoney(item.amountCents)} : ${item.code ?? 'sans code'} — ${item.reason}`
    this.logger.info(`Compte rendu ${report.messageId} du lot ${batch.message_id} (prélèvement du ${batch.collection_date.split('-').reverse().join('/')}).`)
    if (applied.length) {
      this.logger.success(`${plural(applied.length, 'rejet appliqué', 'rejets appliqués')} : factures de nouveau à payer, familles prévenues.`)
      for (const item of applied) this.logger.info(describe(item))
    }
    if (alreadyApplied.length) {
      this.logger.info(`${plural(alreadyApplied.length, 'rejet', 'rejets')} déjà appliqué${alreadyApplied.length > 1 ? 's' : ''} (import précédent) : rien n'est fait deux fois.`)
      for (const item of alreadyApplied) this.logger.info(describe(item))
    }
    if (skipped.length) this.logger.warning(`${plural(skipped.length, 'rejet inconnu ignoré', 'rejets inconnus ignorés')} (--skip-unknown) : ${skipped.join(', ')}`)
    if (!applied.length && !alreadyApplied.length) this.logger.info('Aucun prélèvement rejeté dans ce compte rendu : rien à appliquer.')
  }

  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}

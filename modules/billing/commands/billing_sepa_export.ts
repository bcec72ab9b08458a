import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingSepaExport extends ModuleCommand {
  static commandName = 'billing:sepa-export'
  static description =
    "Écrit le fichier de prélèvement SEPA (pain.008.001.02) d'un mois : les factures payées par prélèvement, une fois ; relancer redonne le même fichier sans rien envoyer deux fois."
  static module = 'billing'
  static help = [
    '  node ace billing:sepa-export --month 2026-09',
    '  node ace billing:sepa-export --month 2026-09 --collection-date 2026-10-05 --out prelevements.xml',
  ]

  @flags.string({ description: 'Mois des factures, AAAA-MM (par défaut : le mois précédent)' })
  declare month?: string

  @flags.string({ description: 'Date de prélèvement, AAAA-MM-JJ (par défaut : celle annoncée aux familles)' })
  declare collectionDate?: string

  @flags.string({ description: 'Fichier à écrire (par défaut : prelevements-sepa-AAAA-MM.xml)' })
  declare out?: string

  async run() {
    const { DateTime } = await import('luxon')
    const { existsSync, renameSync, rmSync, statSync, writeFileSync } = await import('node:fs')
    const { dirname, resolve } = await import('node:path')
    const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
    const { BillingError } = await import('#modules/billing/services/billing_error')
    const { isMonth } = await import('#modules/billing/services/billing_source')
    const { monthLabel } = await import('#modules/billing/services/billing_month')
    const { formatMoney, plural } = await import('#core/french')

    const month = this.month ?? DateTime.now().setZone('Europe/Paris').minus({ months: 1 }).toFormat('yyyy-MM')
    if (!isMonth(month)) return this.fail(`Mois invalide : « ${month} ». Format attendu : AAAA-MM (exemple : 2026-09).`)
    const out = resolve(this.out ?? `prelevements-sepa-${month}.xml`)
    const folder = dirname(out)
    if (!existsSync(folder) || !statSync(folder).isDirectory()) return this.fail(`Le dossier ${folder} n'existe pas : rien n'a été fait.`)
    if (existsSync(out) && statSync(out).isDirectory()) return this.fail(`${out} est un dossier : indiquez un nom de fichier avec --out.`)

    let result
    try {
      result = await debitBatchService.create(month, { collectionDate: this.collectionDate ?? null })
    } catch (error) {
      if (error instanceof BillingError) return this.fail(`${error.message} Rien n'a été fait.`)
      throw error
    }
    const { batch, created } = result
    // Written beside the target then renamed: a reader never sees half a file.
    const temporary = `${out}.${process.pid}.tmp`
    try {
      writeFileSync(temporary, batch.xml)
      renameSync(temporary, out)
    } catch (error) {
      rmSync(temporary, { force: true })
      return this.fail(`Le fichier ${out} n'a pas pu être écrit (${(error as Error).message}) ; le lot ${batch.message_id} est enregistré : relancez avec un autre --out.`)
    }

    const day = DateTime.fromISO(batch.collection_date).toFormat('dd/MM/yyyy')
    const summary = `${plural(batch.transactions_count, 'prélèvement')}, ${formatMoney(Number(batch.control_sum_cents))}, le ${day}`
    if (created) {
      this.logger.success(`Lot ${batch.message_id} créé pour ${monthLabel(month)} : ${summary}. Fichier écrit : ${out}`)
    } else {
      this.logger.info(`Le lot ${batch.message_id} de ${monthLabel(month)} existe déjà (${summary}) : le même fichier est réécrit dans ${out}, rien n'est envoyé deux fois.`)
      if (this.collectionDate && this.collectionDate !== batch.collection_date) this.logger.warning(`La date demandée (${this.collectionDate}) est ignorée : le lot existant est prélevé le ${day}.`)
    }
    const { excluded } = await debitBatchService.preview(month)
    if (excluded.length) {
      this.logger.info(`${plural(excluded.length, 'facture écartée', 'factures écartées')} :`)
      for (const debit of excluded.slice(0, 50)) this.logger.info(`  facture n° ${debit.invoiceNumber} (${debit.familyName}) : ${debit.reason}`)
    }
  }

  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}

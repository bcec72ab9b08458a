import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class BillingPesExport extends ModuleCommand {
  static commandName = 'billing:pes-export'
  static description =
    'Écrit le fichier PES V2 (titres de recette pour le Trésor public) des factures et avoirs d’un mois pas encore exportés ; relancer n’exporte rien deux fois.'
  static module = 'billing'
  static help = [
    '  node ace billing:pes-export --month 2026-09                      (écrit ./PES_….xml)',
    '  node ace billing:pes-export --month 2026-09 --out titres.xml',
    '  node ace billing:pes-export --month 2026-09 --again PES_….xml    (réécrit un fichier déjà exporté, à l’identique)',
  ]

  @flags.string({ description: 'Mois des factures, AAAA-MM (par défaut : le mois précédent)' })
  declare month?: string

  @flags.string({ description: 'Fichier à écrire (par défaut : le nom du fichier PES, dans le dossier courant)' })
  declare out?: string

  @flags.string({ description: 'Nom d’un fichier PES déjà exporté pour ce mois, à réécrire tel quel' })
  declare again?: string

  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }

  async run() {
    const { DateTime } = await import('luxon')
    const { existsSync, statSync, writeFileSync } = await import('node:fs')
    const { dirname, resolve } = await import('node:path')
    const { default: pesExportService, NothingToExportError } = await import('#modules/billing/services/pes/pes_export_service')
    const { BillingError } = await import('#modules/billing/services/billing_error')
    const { PesConfigError } = await import('#modules/billing/config/pes')
    const { isMonth } = await import('#modules/billing/services/billing_source')
    const { monthLabel } = await import('#modules/billing/services/billing_month')
    const { formatMoney, plural } = await import('#core/french')

    const month = this.month ?? DateTime.now().setZone('Europe/Paris').minus({ months: 1 }).toFormat('yyyy-MM')
    if (!isMonth(month)) return this.fail(`Mois invalide : « ${month} ». Format attendu : AAAA-MM (exemple : 2026-09).`)

    /** Checked before anything is exported: a file is never left half-written, nor an export without its file. */
    const target = (fileName: string) => {
      const path = resolve(this.out ?? fileName)
      if (existsSync(path)) return { error: `Le fichier ${path} existe déjà : choisissez un autre nom avec --out (rien n’a été exporté).` }
      if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) return { error: `Le dossier ${dirname(path)} n’existe pas (rien n’a été exporté).` }
      return { path }
    }

    if (this.again) {
      const previous = await pesExportService.file(month, this.again)
      if (!previous) {
        const names = (await pesExportService.list(month)).map((row) => row.fileName)
        return this.fail(`Aucun fichier « ${this.again} » exporté pour ${monthLabel(month)}.${names.length ? ` Fichiers du mois : ${names.join(', ')}.` : ' Aucun fichier n’a encore été exporté pour ce mois.'}`)
      }
      const { path, error } = target(previous.fileName)
      if (error) return this.fail(error)
      writeFileSync(path!, await previous.text(), { flag: 'wx' })
      this.logger.success(`Fichier ${previous.fileName} réécrit tel qu’il a été exporté le ${previous.createdAt.setZone('Europe/Paris').toFormat('dd/MM/yyyy à HH:mm')} : ${path}`)
      return
    }

    // The path is checked against the file's future name only once it is known; --out can be checked now.
    if (this.out) {
      const { error } = target('')
      if (error) return this.fail(error)
    }
    try {
      const created = await pesExportService.exportMonth(month, null)
      const { path, error } = target(created.fileName)
      if (error) {
        return this.fail(`${error.replace(' (rien n’a été exporté).', '.')} L’export ${created.fileName} est enregistré : récupérez-le avec --again ${created.fileName} --out <fichier>.`)
      }
      writeFileSync(path!, await created.text(), { flag: 'wx' })
      const parts = [
        created.titleCount ? `${plural(created.titleCount, 'titre')} (bordereau n° ${created.bordereauNumber}, ${formatMoney(created.titlesCents)})` : null,
        created.reductionCount ? `${plural(created.reductionCount, 'réduction')} (bordereau n° ${created.reductionBordereauNumber}, ${formatMoney(created.reductionsCents)})` : null,
      ].filter(Boolean)
      this.logger.success(`PES V2 ${monthLabel(month)} : ${parts.join(' et ')}, exercice ${created.exercise}. Fichier écrit : ${path}`)
    } catch (error) {
      // Nothing left to export is not a failure: a nightly run says so and exits 0.
      if (error instanceof NothingToExportError) return this.logger.info(error.message)
      if (error instanceof PesConfigError || error instanceof BillingError) return this.fail(error.message)
      throw error
    }
  }
}

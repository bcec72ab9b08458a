import { readFile } from 'node:fs/promises'
import { args, flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'
import { byCount, formatNumber, plural } from '#core/french'

export default class ImportFamilies extends ModuleCommand {
  static commandName = 'families:import'
  static description =
    'Importe les familles depuis un fichier CSV (une ligne par enfant) : tout est vérifié avant écriture ; un fichier mis à jour met à jour les dossiers.'
  static module = 'dossier'
  static help = [
    'Colonnes (en-têtes en français, dans n’importe quel ordre) : voir modules/dossier/README.md.',
    'Encodage UTF-8 (avec ou sans BOM) ou Windows-1252, détecté ; séparateur « ; » ou « , » détecté.',
    'Avec --encoding=utf-8 (ou un BOM), un octet qui n’est pas de l’UTF-8 arrête l’import (ligne et colonne indiquées).',
    'Avec --skip-invalid, les familles valides sont importées et la commande sort en erreur (code 1) s’il y a eu des lignes écartées.',
    '  node ace families:import familles.csv --dry-run',
  ]

  @args.string({ description: 'Chemin du fichier CSV' })
  declare file: string

  @flags.boolean({ description: 'Vérifie et affiche ce qui changerait, sans rien écrire' })
  declare dryRun: boolean

  @flags.boolean({ description: 'Importe les familles valides et liste les autres (sinon : une erreur, rien n’est importé)' })
  declare skipInvalid: boolean

  @flags.boolean({ description: 'Ignore les colonnes inconnues au lieu de refuser le fichier' })
  declare ignoreUnknown: boolean

  @flags.string({ description: 'Encodage du fichier : utf-8 ou windows-1252 (détecté par défaut)' })
  declare encoding?: string

  @flags.boolean({ description: 'Affiche le détail des modifications de chaque famille' })
  declare verbose: boolean

  async run() {
    const { importFamilies } = await import('#modules/dossier/services/import/family_import')
    const { ProgressBar } = await import('#core/progress_bar')

    let encoding: 'utf-8' | 'windows-1252' | undefined
    if (this.encoding) {
      const key = this.encoding.toLowerCase().replace(/[_\s]/g, '-')
      if (['utf-8', 'utf8'].includes(key)) encoding = 'utf-8'
      else if (['windows-1252', 'cp1252', 'win1252', 'latin1', 'iso-8859-1', 'iso-8859-15'].includes(key)) encoding = 'windows-1252'
      else {
        this.logger.error(`Encodage « ${this.encoding} » inconnu : utf-8 ou windows-1252.`)
        this.exitCode = 1
        return
      }
    }

    let buffer: Buffer
    try {
      buffer = await readFile(this.file)
    } catch (error) {
      this.logger.error(`Impossible de lire « ${this.file} » : ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
      this.exitCode = 1
      return
    }

    let bar: InstanceType<typeof ProgressBar> | null = null
    const result = await importFamilies(buffer, {
      encoding,
      dryRun: this.dryRun,
      skipInvalid: this.skipInvalid,
      ignoreUnknown: this.ignoreUnknown,
      onStart: (total) => {
        bar = new ProgressBar(total, this.dryRun ? 'Vérification' : 'Import')
      },
      onProgress: (count) => bar?.tick(count),
    })
    ;(bar as InstanceType<typeof ProgressBar> | null)?.finish()

    this.logger.info(
      `Fichier lu : ${plural(result.rows, 'ligne')}, encodage ${result.encoding ?? '?'}, séparateur « ${result.delimiter ?? '?'} ».`
    )
    for (const error of result.errors) {
      this.logger.error(
        `ligne ${error.line}${error.column ? `, colonne ${error.column}` : ''}${error.familyRef ? ` (famille ${error.familyRef})` : ''} : ${error.reason}`
      )
    }

    if (result.errors.length && (!this.skipInvalid || !result.imported)) {
      this.logger.error(
        this.skipInvalid
          ? `${plural(result.errors.length, 'erreur')} : aucune famille valide à importer, rien n’a été importé.`
          : `${plural(result.errors.length, 'erreur')} : rien n’a été importé. Corrigez le fichier, ou relancez avec --skip-invalid pour importer les familles valides.`
      )
      this.exitCode = 1
      return
    }

    for (const report of result.reports) {
      if (report.action === 'updated') {
        this.logger.info(`famille ${report.reference} mise à jour${this.verbose || this.dryRun || result.reports.length <= 50 ? ' : ' + report.changes.join(' ; ') : ''}`)
      }
    }
    if (result.skippedFamilies.length) {
      this.logger.warning(`Familles non importées (erreurs ci-dessus) : ${result.skippedFamilies.join(', ')}`)
    }

    const prefix = this.dryRun ? 'Simulation (rien n’a été écrit) — ' : ''
    const summary = [
      `${prefix}familles : ${plural(result.families.created, 'créée', 'créées')}, ${plural(result.families.updated, 'mise à jour', 'mises à jour')}, ${plural(result.families.unchanged, 'inchangée', 'inchangées')}`,
      `enfants : ${plural(result.children.created, 'créé', 'créés')}, ${formatNumber(result.children.updated)} mis à jour, ${plural(result.children.unchanged, 'inchangé', 'inchangés')}`,
      `comptes en attente d’activation : ${formatNumber(result.accounts)} ${this.dryRun ? 'à créer' : byCount(result.accounts, 'créé', 'créés')}`,
      `erreurs : ${result.errors.length}${result.skippedFamilies.length ? ` (${plural(result.skippedFamilies.length, 'famille écartée', 'familles écartées')})` : ''}`,
    ]
    for (const line of summary) this.logger.success(line)
    if (result.errors.length) {
      // --skip-invalid imported the others; a cron must still see that rows were left out.
      this.logger.error(
        `${plural(result.skippedFamilies.length || result.errors.length, 'famille écartée', 'familles écartées')} (erreurs ci-dessus) : les autres ${this.dryRun ? 'seraient importées' : 'sont importées'} ; la commande sort en erreur pour le signaler.`
      )
      this.exitCode = 1
    }
  }
}

import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'
import { plural } from '#core/french'

export default class PurgeFamilies extends ModuleCommand {
  static commandName = 'families:purge'
  static description =
    'Supprime les dossiers des familles sans activité depuis 3 ans (CNIL) : sans --force, affiche seulement la liste.'
  static module = 'dossier'

  @flags.number({ description: 'Années sans activité avant suppression (3 par défaut)', default: 3 })
  declare years: number

  @flags.boolean({ description: 'Supprime vraiment (sinon : simulation)' })
  declare force: boolean

  async run() {
    const { default: retentionService } = await import('#modules/dossier/services/retention_service')
    if (!Number.isFinite(this.years) || this.years < 1) {
      this.logger.error('--years attend un nombre d’années (1 au moins).')
      this.exitCode = 1
      return
    }
    const candidates = await retentionService.candidates(this.years)
    if (!candidates.length) {
      this.logger.success(`Aucun dossier sans activité depuis ${plural(this.years, 'an')}.`)
      return
    }
    // Without --force, the same purge runs and is rolled back: the preview is what --force does.
    const preview = !this.force
    let purged = 0
    let accounts = 0
    let files = 0
    for (const candidate of candidates) {
      const outcome = await retentionService.purge(candidate, { preview })
      const since = candidate.lastActivity.setZone('Europe/Paris').toFormat('dd/MM/yyyy')
      if (outcome.purged) {
        purged++
        accounts += outcome.accounts
        files += outcome.files
        if (preview) {
          this.logger.info(`famille ${candidate.reference} (dernière activité le ${since}) : serait supprimée, avec ${plural(outcome.accounts, 'compte de parent', 'comptes de parent')} et ${plural(outcome.files, 'fichier')}`)
        }
      } else {
        this.logger.warning(`famille ${candidate.reference} (dernière activité le ${since}) : ${outcome.reason}`)
      }
    }
    const kept = candidates.length - purged
    if (preview) {
      this.logger.warning(
        `Simulation : ${plural(purged, 'dossier serait supprimé', 'dossiers seraient supprimés')}, ${plural(accounts, 'compte de parent', 'comptes de parent')}, ${plural(files, 'fichier')} ; ${plural(kept, 'conservé', 'conservés')}. Relancez avec --force pour les supprimer.`
      )
      return
    }
    this.logger.success(`${plural(purged, 'dossier supprimé', 'dossiers supprimés')}, ${plural(accounts, 'compte de parent', 'comptes de parent')}, ${plural(files, 'fichier')} ; ${plural(kept, 'conservé', 'conservés')}.`)
  }
}

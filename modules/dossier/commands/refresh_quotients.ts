import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'
import { ProgressBar } from '#core/progress_bar'
import { plural } from '#core/french'

/** A 429 waits Retry-After (at most this long) and is tried once more before being reported. */
const LONGEST_WAIT_SECONDS = 120

export default class RefreshQuotients extends ModuleCommand {
  static commandName = 'families:refresh-qf'
  static description =
    "Met à jour le quotient familial des familles qui ont donné leur accord, auprès de la CAF ou de la MSA (API Particulier) ; --dry-run : interroge sans rien enregistrer."
  static module = 'dossier'

  @flags.string({ description: "La référence d'une seule famille" })
  declare family?: string

  @flags.boolean({ description: "Affiche ce qui changerait, sans rien enregistrer" })
  declare dryRun: boolean

  async run() {
    const { default: apiParticulierConfig } = await import('#modules/dossier/api_particulier/config')
    if (!apiParticulierConfig.enabled) {
      this.logger.error("API Particulier n'est pas configurée : renseignez API_PARTICULIER_TOKEN et API_PARTICULIER_RECIPIENT (ou API_PARTICULIER_DEMO=1 pour la démonstration).")
      this.exitCode = 1
      return
    }
    const standin = await this.demoStandin()
    try {
      await this.refresh()
    } finally {
      await standin?.close()
    }
  }

  /** In the demo, the stand-in lives in the web server; started here when the server is not running. */
  private async demoStandin() {
    const { default: apiParticulierConfig, DEMO_PORT, DEMO_URL } = await import('#modules/dossier/api_particulier/config')
    if (!apiParticulierConfig.usesDemo || apiParticulierConfig.url !== DEMO_URL) return null
    const { startApiParticulierStandin } = await import('#modules/dossier/api_particulier/standin')
    return startApiParticulierStandin(DEMO_PORT).catch((error) => {
      if (error.code === 'EADDRINUSE') return null
      throw error
    })
  }

  private async refresh() {
    const { default: quotientRetrieval, identityOf } = await import('#modules/dossier/services/quotient_retrieval')
    const { default: Guardian } = await import('#modules/dossier/models/guardian')
    const { default: Family } = await import('#modules/dossier/models/family')
    const { monthName, providerName } = await import('#modules/dossier/services/quotient_words')
    const families = await quotientRetrieval.consentingFamilies(this.family)
    if (this.family && !families.length) {
      const known = await Family.findBy('reference', this.family)
      this.logger.error(known ? `La famille ${this.family} n'a pas donné son accord pour la récupération de son quotient familial.` : `Aucune famille n'a la référence « ${this.family} ».`)
      this.exitCode = 1
      return
    }
    if (!families.length) {
      this.logger.info("Aucune famille n'a donné son accord : rien à mettre à jour.")
      return
    }

    const counts = { applied: 0, unchanged: 0, kept: 0, failed: 0 }
    const lines: string[] = []
    const failures: string[] = []
    const progress = new ProgressBar(families.length, this.dryRun ? 'Interrogation (simulation)' : 'Mise à jour des quotients')
    for (const { familyId, reference, guardianId } of families) {
      const guardian = await Guardian.find(guardianId)
      const identity = guardian ? identityOf(guardian) : null
      if (!identity) {
        counts.failed++
        failures.push(`famille ${reference} : identité de naissance incomplète (accord donné avec FranceConnect, ou identité à compléter) — le parent la complète sur « Récupérer mon quotient familial », ou le service dans Gestion > Familles > Identité de naissance.`)
        progress.tick()
        continue
      }
      let outcome = await quotientRetrieval.retrieve({ id: familyId }, identity, null, { keep: !this.dryRun })
      if (!outcome.answer.ok && outcome.answer.kind === 'rate_limited') {
        const wait = Math.min(outcome.answer.retryAfterSeconds ?? 1, LONGEST_WAIT_SECONDS)
        await new Promise((resolve) => setTimeout(resolve, wait * 1000))
        outcome = await quotientRetrieval.retrieve({ id: familyId }, identity, null, { keep: !this.dryRun })
      }
      progress.tick()
      const { answer } = outcome
      if (!answer.ok) {
        counts.failed++
        failures.push(`famille ${reference} : ${outcome.sentence} Rien n'a changé.`)
        continue
      }
      const found = `${answer.quotient.value} (${providerName(answer.quotient.provider)}, ${monthName(answer.quotient.year, answer.quotient.month)})`
      if (this.dryRun) {
        const family = await Family.findOrFail(familyId)
        const kept = family.quotientOrigin === 'service' && family.familyQuotient !== answer.quotient.value
        if (kept) counts.kept++
        else if (family.familyQuotient === answer.quotient.value) counts.unchanged++
        else counts.applied++
        lines.push(`famille ${reference} : ${found}${kept ? ` — fixé par le service (${family.familyQuotient}) : serait conservé` : family.familyQuotient === answer.quotient.value ? ' — inchangé' : ` — remplacerait ${family.familyQuotient ?? 'aucun'}`}`)
        continue
      }
      const result = await quotientRetrieval.confirm(familyId, outcome.fetch!.id, null)
      if (result === 'applied') counts.applied++
      else if (result === 'kept-service') counts.kept++
      else counts.unchanged++
      if (result === 'kept-service') lines.push(`famille ${reference} : ${found} — quotient fixé par le service : conservé`)
    }
    progress.finish()
    for (const line of lines) this.logger.info(line)
    for (const failure of failures) this.logger.error(failure)
    const verb = this.dryRun ? ['serait mise à jour', 'seraient mises à jour'] : ['mise à jour', 'mises à jour']
    const summary = `${plural(families.length, 'famille')} : ${plural(counts.applied, verb[0], verb[1])}, ${plural(counts.unchanged, 'inchangée', 'inchangées')}, ${plural(counts.kept, 'conservée (quotient fixé par le service)', 'conservées (quotient fixé par le service)')}, ${plural(counts.failed, 'en échec', 'en échec')}.`
    if (counts.failed) {
      this.logger.warning(`${summary}${this.dryRun ? ' Simulation : rien n’a été enregistré.' : ''}`)
      this.exitCode = 1
    } else {
      this.logger.success(`${summary}${this.dryRun ? ' Simulation : rien n’a été enregistré.' : ''}`)
    }
  }
}

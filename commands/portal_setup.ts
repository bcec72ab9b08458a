import { existsSync, constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { SetupAnswers, SetupMeta, SetupProblem } from '#services/commune_setup'
import type { SetupReport } from '#services/commune_setup_apply'
import { dataPaths } from '#core/project_paths'
import { formatDateTime } from '#core/format'
import { askSetupAnswers } from '#services/commune_setup_prompts'

/**
 * Configures the commune: identity, colours (refused under 4.5:1), contacts, services and
 * topics, modules, first administrator. Interactive in a terminal; every answer can be a flag.
 * Every answer is checked before anything is written, and every problem reported at once, each
 * naming its flag; the database, the logo and .env are written only when all are fine.
 */
export default class PortalSetup extends BaseCommand {
  static commandName = 'portal:setup'
  static description = 'Configure la commune : nom, logo, couleurs, contacts, services, modules, premier administrateur'
  /** Unknown and empty flags are reported by the command, in French, with every other problem. */
  static options: CommandOptions = { startApp: true, allowUnknownFlags: true }

  @flags.string({ allowEmptyValue: true, description: 'Nom de la commune' })
  declare name?: string

  @flags.string({ allowEmptyValue: true, description: 'Fichier du logo (PNG, JPEG ou SVG, 2 Mo au plus)' })
  declare logo?: string

  @flags.string({ allowEmptyValue: true, description: 'Couleur principale (#rrggbb)' })
  declare colorPrimary?: string

  @flags.string({ allowEmptyValue: true, description: 'Couleur du texte sur la couleur principale (#rrggbb)' })
  declare colorPrimaryContrast?: string

  @flags.string({ allowEmptyValue: true, description: "Couleur d'accent (#rrggbb), lisible sur fond blanc" })
  declare colorAccent?: string

  @flags.array({ allowEmptyValue: true, description: 'Contact du pied de page « Libellé|Téléphone|Adresse|Courriel » (répétable)' })
  declare contact?: string[]

  @flags.array({ allowEmptyValue: true, description: 'Service de la commune (répétable), ex. « Service Enfance »' })
  declare service?: string[]

  @flags.array({ allowEmptyValue: true, description: 'Thème de message « Service:Thème » (répétable)' })
  declare topic?: string[]

  @flags.string({ allowEmptyValue: true, description: 'Modules activés, liste séparée par des virgules (écrite dans .env)' })
  declare modules?: string

  @flags.string({ allowEmptyValue: true, description: "Courriel du premier administrateur" })
  declare adminEmail?: string

  @flags.string({ allowEmptyValue: true, description: "Nom complet du premier administrateur" })
  declare adminName?: string

  @flags.string({ allowEmptyValue: true, description: "Nom d'utilisateur du premier administrateur (facultatif)" })
  declare adminUsername?: string

  /** Without it, questions are asked in a terminal only; --interaction asks them anyway, --no-interaction never. */
  @flags.boolean({ description: 'Pose les questions (par défaut dans un terminal) ; --no-interaction : les options seules comptent' })
  declare interaction?: boolean

  async run() {
    const { default: communeSettings } = await import('#services/commune_settings')
    const { existingServiceNames, flagOf, validateSetup } = await import('#services/commune_setup')
    const { applySetup } = await import('#services/commune_setup_apply')
    const { default: moduleRegistry, parseModuleList, resolveEnabled } = await import('#core/module_registry')
    const { discoverModules } = await import('#core/module_catalog')

    const manifests = await discoverModules()
    const meta: SetupMeta = {
      checkModules: (list: string) => {
        try {
          resolveEnabled(manifests, parseModuleList(list, manifests.map((manifest) => manifest.name)))
          return null
        } catch (error) {
          return (error as Error).message
        }
      },
      existingServices: await existingServiceNames(),
    }
    const current = await communeSettings.fresh()
    const answers: SetupAnswers = {
      name: this.name,
      logo: this.logo,
      colorPrimary: this.colorPrimary,
      colorPrimaryContrast: this.colorPrimaryContrast,
      colorAccent: this.colorAccent,
      contacts: this.contact,
      services: this.service,
      topics: this.topic,
      modules: this.modules,
      adminEmail: this.adminEmail,
      adminName: this.adminName,
      adminUsername: this.adminUsername,
    }

    const flagErrors = this.flagProblems()
    const interactive = this.interaction !== false && (process.stdin.isTTY === true || this.interaction === true) && !flagErrors.length
    if (interactive) {
      try {
        await askSetupAnswers(this.prompt, answers, current, meta)
      } catch (error) {
        if ((error as { code?: string }).code !== 'E_PROMPT_CANCELLED') throw error
        this.logger.logError('Configuration abandonnée, rien n’a été modifié.')
        this.exitCode = 1
        return
      }
    }

    const { errors, setup } = await validateSetup(answers, current, meta)
    const envFile = join(dataPaths(this.app.appRoot).envFolder, '.env')
    if (setup?.modules !== null && setup?.modules !== undefined && !(await writable(envFile))) {
      errors.push({ field: 'modules', message: `Le fichier ${envFile} ne peut pas être modifié : droits d'écriture manquants.` })
    }
    // Checked even when other answers are wrong, so that a taken username is reported with them.
    const admin = setup?.admin ?? (answers.adminEmail ? { email: answers.adminEmail.trim().toLowerCase(), fullName: '', username: answers.adminUsername } : null)
    const checkAdministrator = moduleRegistry.hook('portal.check-administrator')
    const adminProblem = admin && checkAdministrator ? await checkAdministrator(admin) : null
    if (adminProblem) errors.push({ field: adminProblem.field === 'username' ? 'adminUsername' : 'adminEmail', message: adminProblem.message })
    // A flag already reported as empty or unknown is not reported a second time by the validator.
    const reported = new Set(flagErrors.map((problem) => problem.split(' ')[0]))
    const problems = [
      ...flagErrors,
      ...errors.filter((error) => !reported.has(flagOf(error.field))).map((error) => `${flagOf(error.field)} : ${error.message}`),
    ]
    if (problems.length || !setup) return this.refuse(problems)

    let report: SetupReport
    try {
      report = await applySetup(setup, envFile)
    } catch (error) {
      // A refusal met while writing (the accounts module's AccountConflictError names its field).
      const field = (error as { field?: string }).field
      const flag = field === 'username' ? '--admin-username : ' : field === 'email' ? '--admin-email : ' : ''
      return this.refuse([`${flag}${(error as Error).message}`])
    }
    this.logger.success(`Commune « ${setup.name} » configurée.`)
    if (report.servicesCreated.length) this.logger.info(`Services ajoutés : ${report.servicesCreated.join(', ')}`)
    if (report.topicsCreated.length) this.logger.info(`Thèmes ajoutés : ${report.topicsCreated.length}`)
    if (report.modulesWritten !== undefined) this.logger.info(`PORTAL_MODULES=${report.modulesWritten} écrit dans .env (redémarrez le portail).`)
    if (report.admin) {
      const state = STATES[report.admin.state] ?? report.admin.state
      this.logger.info(`Administrateur « ${report.admin.username} » ${report.admin.created ? 'créé' : 'mis à jour'} (${state}).`)
      if (report.admin.activationUrl) {
        const until = formatDateTime(report.admin.expiresAt)
        this.logger.log(`Lien d'activation (valable 96 heures, jusqu'au ${until}, heure de Paris) :\n  ${report.admin.activationUrl}`)
      }
    }
  }

  /** Flags Ace would refuse in English: unknown ones and those given without a value. */
  private flagProblems(): string[] {
    const parsed = this.parsed
    if (!parsed) return []
    const problems = parsed.unknownFlags.map(
      (flag: string) => `${flag.length === 1 ? '-' : '--'}${flag} : option inconnue de portal:setup (la liste : node ace portal:setup --help).`
    )
    for (const flag of PortalSetup.flags) {
      if (flag.type !== 'string' && flag.type !== 'array') continue
      if (!Object.hasOwn(parsed.flags, flag.flagName)) continue
      const value = parsed.flags[flag.flagName]
      const values: unknown[] = Array.isArray(value) ? value : [value]
      if (!values.length || values.some((entry) => entry === undefined || String(entry).trim() === '')) {
        problems.push(`--${flag.flagName} : valeur manquante (écrivez --${flag.flagName}="…").`)
      }
    }
    return problems
  }

  /** Every problem on stderr, each on its line, and a non-zero exit: nothing was written. */
  private refuse(problems: string[]) {
    this.logger.logError(this.colors.red('Configuration refusée, rien n’a été modifié :'))
    for (const problem of problems) this.logger.logError(`  - ${problem}`)
    this.exitCode = 1
  }
}

/** The .env file (or its folder, when it does not exist yet) can be written: checked before anything is. */
async function writable(file: string) {
  const target = existsSync(file) ? file : dirname(file)
  return access(target, constants.W_OK).then(
    () => true,
    () => false
  )
}

const STATES: Record<string, string> = { pending: "en attente d'activation", active: 'actif', disabled: 'désactivé' }

export type { SetupProblem }

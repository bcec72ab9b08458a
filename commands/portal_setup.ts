import { join } from 'node:path'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { SetupAnswers } from '#services/commune_setup'
import type { CommuneSettings } from '#services/commune_settings'
import { dataPaths } from '#core/project_paths'

/**
 * Configures the commune: identity, colours (refused under 4.5:1), contacts, services and
 * topics, modules, first administrator. Interactive by default; every answer can be a flag.
 */
export default class PortalSetup extends BaseCommand {
  static commandName = 'portal:setup'
  static description = 'Configure la commune : nom, logo, couleurs, contacts, services, modules, premier administrateur'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Nom de la commune' })
  declare name?: string

  @flags.string({ description: 'Fichier du logo (PNG, JPEG ou SVG, 2 Mo au plus)' })
  declare logo?: string

  @flags.string({ description: 'Couleur principale (#rrggbb)' })
  declare colorPrimary?: string

  @flags.string({ description: 'Couleur du texte sur la couleur principale (#rrggbb)' })
  declare colorPrimaryContrast?: string

  @flags.string({ description: "Couleur d'accent (#rrggbb), lisible sur fond blanc" })
  declare colorAccent?: string

  @flags.array({ description: 'Contact du pied de page « Libellé|Téléphone|Adresse|Courriel » (répétable)' })
  declare contact?: string[]

  @flags.array({ description: 'Service de la commune (répétable), ex. « Service Enfance »' })
  declare service?: string[]

  @flags.array({ description: 'Thème de message « Service:Thème » (répétable)' })
  declare topic?: string[]

  @flags.string({ description: 'Modules activés, liste séparée par des virgules (écrite dans .env)' })
  declare modules?: string

  @flags.string({ description: "Courriel du premier administrateur" })
  declare adminEmail?: string

  @flags.string({ description: "Nom complet du premier administrateur" })
  declare adminName?: string

  @flags.string({ description: "Nom d'utilisateur du premier administrateur (facultatif)" })
  declare adminUsername?: string

  @flags.boolean({ description: 'Ne pose aucune question (scripts) : les options seules comptent', default: true })
  declare interaction: boolean

  async run() {
    const { default: communeSettings } = await import('#services/commune_settings')
    const { validateSetup } = await import('#services/commune_setup')
    const { applySetup } = await import('#services/commune_setup_apply')
    const { parseModuleList, resolveEnabled } = await import('#core/module_registry')
    const { discoverModules } = await import('#core/module_catalog')

    const manifests = await discoverModules()
    const checkModules = (list: string) => {
      try {
        resolveEnabled(manifests, parseModuleList(list, manifests.map((manifest) => manifest.name)))
        return null
      } catch (error) {
        return (error as Error).message
      }
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

    const interactive = this.interaction !== false && process.stdin.isTTY === true
    if (interactive) await this.ask(answers, current, checkModules)

    const { errors, setup } = await validateSetup(answers, current, checkModules)
    if (errors.length || !setup) {
      this.logger.error('Configuration refusée, rien n’a été modifié :')
      for (const error of errors) this.logger.log(`  - ${error}`)
      this.exitCode = 1
      return
    }

    const report = await applySetup(setup, join(dataPaths(this.app.appRoot).envFolder, '.env'))
    this.logger.success(`Commune « ${setup.name} » configurée.`)
    if (report.servicesCreated.length) this.logger.info(`Services ajoutés : ${report.servicesCreated.join(', ')}`)
    if (report.topicsCreated.length) this.logger.info(`Thèmes ajoutés : ${report.topicsCreated.length}`)
    if (report.modulesWritten !== undefined) this.logger.info(`PORTAL_MODULES=${report.modulesWritten} écrit dans .env (redémarrez le portail).`)
    if (report.admin) {
      this.logger.info(`Administrateur « ${report.admin.username} » ${report.admin.created ? 'créé' : 'mis à jour'} (${report.admin.state}).`)
      if (report.admin.activationUrl) {
        this.logger.log(`Lien d'activation (valable 96 heures, jusqu'au ${report.admin.expiresAt}) :\n  ${report.admin.activationUrl}`)
      }
    }
  }

  /** Asks for each answer not given as a flag; an answer the validator refuses is asked again. */
  private async ask(answers: SetupAnswers, current: CommuneSettings, checkModules: (list: string) => string | null) {
    const { input, confirm } = await import('@inquirer/prompts')
    const { answerProblem } = await import('#services/commune_setup')
    const check = async (field: keyof SetupAnswers, withAnswer: SetupAnswers) =>
      (await answerProblem(field, { ...answers, ...withAnswer }, current, checkModules)) ?? true
    answers.name ??= await input({ message: 'Nom de la commune', default: current.name, validate: (v) => check('name', { name: v }) })
    answers.logo ??= (await input({ message: 'Fichier du logo (laisser vide pour ne pas changer)', default: '' })) || undefined
    answers.colorPrimary ??= await input({
      message: 'Couleur principale (#rrggbb)',
      default: current.colorPrimary,
      validate: (v) => check('colorPrimary', { colorPrimary: v }),
    })
    answers.colorAccent ??= await input({
      message: "Couleur d'accent (#rrggbb)",
      default: current.colorAccent,
      validate: (v) => check('colorAccent', { colorAccent: v }),
    })
    if (!answers.contacts && (await confirm({ message: 'Saisir les contacts du pied de page ?', default: current.contacts.length === 0 }))) {
      answers.contacts = []
      while (answers.contacts.length < 6) {
        const line = await input({
          message: `Contact ${answers.contacts.length + 1} « Libellé|Téléphone|Adresse|Courriel » (vide pour finir)`,
          validate: (v) => (v === '' ? true : check('contacts', { contacts: [v] })),
        })
        if (!line) break
        answers.contacts.push(line)
      }
    }
    answers.modules ??= (await input({
      message: 'Modules activés (vide = tous)',
      default: '',
      validate: (v) => (v === '' ? true : check('modules', { modules: v })),
    })) || undefined
    if (!answers.adminEmail && (await confirm({ message: 'Créer ou mettre à jour le premier administrateur ?', default: true }))) {
      answers.adminEmail = await input({
        message: 'Courriel de l’administrateur',
        validate: (v) => (v ? check('adminEmail', { adminEmail: v }) : 'Obligatoire.'),
      })
      answers.adminName = await input({ message: 'Nom complet de l’administrateur', validate: (v) => (v.trim() ? true : 'Obligatoire.') })
    }
  }
}

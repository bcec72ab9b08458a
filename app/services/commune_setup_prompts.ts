import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommuneSettings } from '#services/commune_settings'
import { answerProblem, type SetupAnswers, type SetupMeta } from '#services/commune_setup'

type Prompt = BaseCommand['prompt']

const YES_NO: [string, string] = ['Oui', 'Non']
const MAX_CONTACTS = 6

/**
 * portal:setup's questions, for each answer not given as a flag. Every answer is checked as it
 * is typed by the validator that checks the flags (a wrong logo path, colour or topic is asked
 * again with its sentence); yes/no questions answer « Oui » or « Non ».
 */
export async function askSetupAnswers(prompt: Prompt, answers: SetupAnswers, current: CommuneSettings, meta: SetupMeta) {
  const check = async (field: keyof SetupAnswers, withAnswer: SetupAnswers, ignoreRules: string[] = []) =>
    (await answerProblem(field, { ...answers, ...withAnswer }, current, meta, ignoreRules)) ?? true
  const optional = (value: string) => value.trim() || undefined

  answers.name ??= await prompt.ask('Nom de la commune', { default: current.name, validate: (v) => check('name', { name: v }) })
  answers.logo ??= optional(
    await prompt.ask('Fichier du logo (PNG, JPEG ou SVG ; vide pour garder le logo actuel)', {
      validate: (v) => (v.trim() === '' ? true : check('logo', { logo: v.trim() })),
    })
  )
  // The main colour alone first (its format), then the text on it: the contrast is judged on the pair.
  answers.colorPrimary ??= await prompt.ask('Couleur principale (#rrggbb)', {
    default: current.colorPrimary,
    validate: (v) => check('colorPrimary', { colorPrimary: v }, ['contrast']),
  })
  answers.colorPrimaryContrast ??= await prompt.ask('Couleur du texte sur la couleur principale (#rrggbb)', {
    default: current.colorPrimaryContrast,
    validate: async (v) => {
      const own = await check('colorPrimaryContrast', { colorPrimaryContrast: v })
      return own === true ? check('colorPrimary', { colorPrimaryContrast: v }) : own
    },
  })
  answers.colorAccent ??= await prompt.ask("Couleur d'accent (#rrggbb)", {
    default: current.colorAccent,
    validate: (v) => check('colorAccent', { colorAccent: v }),
  })

  if (!answers.contacts && (await prompt.toggle('Saisir les contacts du pied de page ?', YES_NO, { default: current.contacts.length === 0 }))) {
    answers.contacts = await askList(prompt, (n) => `Contact ${n} « Libellé|Téléphone|Adresse|Courriel » (vide pour finir)`, MAX_CONTACTS, (v) =>
      check('contacts', { contacts: [v] })
    )
  }

  const existing = meta.existingServices.length ? meta.existingServices.join(', ') : 'aucun'
  if (!answers.services && (await prompt.toggle(`Ajouter des services ? (existants : ${existing})`, YES_NO, { default: !meta.existingServices.length }))) {
    answers.services = await askList(prompt, (n) => `Service ${n} (vide pour finir)`, 50, (v) => check('services', { services: [v] }))
  }
  if (!answers.topics && (await prompt.toggle('Ajouter des thèmes de message ?', YES_NO, { default: false }))) {
    answers.topics = await askList(prompt, (n) => `Thème ${n} « Service:Thème » (vide pour finir)`, 50, (v) => check('topics', { topics: [v] }))
  }

  answers.modules ??= optional(
    await prompt.ask('Modules activés, séparés par des virgules (vide = tous)', {
      validate: (v) => (v.trim() === '' ? true : check('modules', { modules: v })),
    })
  )

  if (!answers.adminEmail && (await prompt.toggle('Créer ou mettre à jour le premier administrateur ?', YES_NO, { default: true }))) {
    answers.adminEmail = await prompt.ask('Courriel de l’administrateur', {
      validate: (v) => (v.trim() ? check('adminEmail', { adminEmail: v }) : 'Le courriel est obligatoire.'),
    })
    answers.adminName ??= await prompt.ask('Nom complet de l’administrateur', {
      validate: (v) => (v.trim() ? true : 'Le nom est obligatoire.'),
    })
    answers.adminUsername ??= optional(
      await prompt.ask("Nom d'utilisateur de l’administrateur (vide = prénom.nom)", {
        validate: (v) => (v.trim() === '' ? true : check('adminUsername', { adminUsername: v })),
      })
    )
  }
}

/** Asks `message(n)` until an empty answer (or `max` answers); each answer checked by `validate`. */
async function askList(
  prompt: Prompt,
  message: (n: number) => string,
  max: number,
  validate: (value: string) => Promise<true | string>
): Promise<string[]> {
  const list: string[] = []
  while (list.length < max) {
    const line = await prompt.ask(message(list.length + 1), { validate: (v) => (v.trim() === '' ? true : validate(v)) })
    if (!line.trim()) break
    list.push(line.trim())
  }
  return list
}

import db from '@adonisjs/lucid/services/db'
import type { CommuneContact } from '#services/commune_settings'
import { knownServices, namedServices, parseTopic, setupValidator, type LogoFile, type SetupMeta } from '#validators/commune_setup'

export { DEFAULT_SERVICE } from '#validators/commune_setup'

/** The guide's five message topics, for a commune that names none. */
export const DEFAULT_TOPICS = [
  "Demande de modification d'éléments dans mon dossier",
  'Demande de réservation ou annulation (hors capacité ou hors délai)',
  'Remise de justificatif (absence,...)',
  'Autres demandes',
  'Facturation',
]

export interface SetupAnswers {
  name?: string
  logo?: string
  colorPrimary?: string
  colorPrimaryContrast?: string
  colorAccent?: string
  contacts?: string[]
  services?: string[]
  topics?: string[]
  modules?: string
  adminEmail?: string
  adminName?: string
  adminUsername?: string
}

export interface ValidSetup {
  name: string
  logo: LogoFile | null
  colorPrimary: string
  colorPrimaryContrast: string
  colorAccent: string
  contacts: CommuneContact[] | null
  services: string[] | null
  topics: { service: string; name: string }[] | null
  modules: string | null
  admin: { email: string; fullName: string; username?: string } | null
}

type CurrentSettings = { name: string; colorPrimary: string; colorPrimaryContrast: string; colorAccent: string }
export type { SetupMeta }

/** One refusal: the answer it is about (`topics.1`, `colorAccent`…) and its French sentence. */
export interface SetupProblem {
  field: string
  message: string
}

const FLAGS: Record<keyof SetupAnswers, string> = {
  name: '--name',
  logo: '--logo',
  colorPrimary: '--color-primary',
  colorPrimaryContrast: '--color-primary-contrast',
  colorAccent: '--color-accent',
  contacts: '--contact',
  services: '--service',
  topics: '--topic',
  modules: '--modules',
  adminEmail: '--admin-email',
  adminName: '--admin-name',
  adminUsername: '--admin-username',
}

/** The command-line flag of an answer (`topics.1` → `--topic`). */
export function flagOf(field: string): string {
  return FLAGS[field.split('.')[0] as keyof SetupAnswers] ?? field
}

/** The services that exist, in their order: a topic may name them without --service. */
export async function existingServiceNames(): Promise<string[]> {
  const rows = await db.from('services').orderBy('position').orderBy('id').select('name')
  return rows.map((row) => row.name as string)
}

/** What the validator reads: the answers, the current settings for the identity not given. */
function setupData(answers: SetupAnswers, current: CurrentSettings) {
  const given = (value: string | undefined) => (value === '' ? undefined : value)
  return {
    ...answers,
    name: answers.name ?? current.name,
    colorPrimary: given(answers.colorPrimary) ?? current.colorPrimary,
    colorPrimaryContrast: given(answers.colorPrimaryContrast) ?? current.colorPrimaryContrast,
    colorAccent: given(answers.colorAccent) ?? current.colorAccent,
    logo: given(answers.logo),
    adminEmail: given(answers.adminEmail),
  }
}

/**
 * Validates every answer at once, against the current settings for what is not given.
 * Returns all the errors so that a script learns everything that is wrong in one run.
 */
export async function validateSetup(
  answers: SetupAnswers,
  current: CurrentSettings,
  meta: SetupMeta
): Promise<{ errors: SetupProblem[]; setup?: ValidSetup }> {
  const [error, valid] = await setupValidator.tryValidate(setupData(answers, current), { meta })
  if (error) return { errors: error.messages.map(({ field, message }: SetupProblem) => ({ field, message })) }
  const services = namedServices(valid.services)
  const known = knownServices(services, meta.existingServices)
  return {
    errors: [],
    setup: {
      name: valid.name,
      logo: valid.logo ?? null,
      colorPrimary: valid.colorPrimary,
      colorPrimaryContrast: valid.colorPrimaryContrast,
      colorAccent: valid.colorAccent,
      contacts: valid.contacts ?? null,
      services,
      topics: valid.topics?.map((entry) => parseTopic(entry, known)) ?? null,
      modules: valid.modules ?? null,
      admin: valid.adminEmail ? { email: valid.adminEmail, fullName: valid.adminName!, username: valid.adminUsername } : null,
    },
  }
}

/**
 * The validator's sentence about one answer given the others, or null: the prompts ask again
 * until the answer is fine. `ignoreRules` leaves out rules judged later (a colour's contrast).
 */
export async function answerProblem(
  field: keyof SetupAnswers,
  answers: SetupAnswers,
  current: CurrentSettings,
  meta: SetupMeta,
  ignoreRules: string[] = []
): Promise<string | null> {
  const [error] = await setupValidator.tryValidate(setupData(answers, current), { meta })
  const problems: { field: string; rule: string; message: string }[] = error?.messages ?? []
  const about = (problem: { field: string }) => problem.field === field || problem.field.startsWith(`${field}.`)
  return problems.find((problem) => about(problem) && !ignoreRules.includes(problem.rule))?.message ?? null
}

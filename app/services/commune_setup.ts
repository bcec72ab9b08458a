import type { CommuneContact } from '#services/commune_settings'
import { namedServices, parseTopic, setupValidator, type LogoFile } from '#validators/commune_setup'

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
type CheckModules = (list: string) => string | null

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
  checkModules: CheckModules
): Promise<{ errors: string[]; setup?: ValidSetup }> {
  const [error, valid] = await setupValidator.tryValidate(setupData(answers, current), { meta: { checkModules } })
  if (error) return { errors: error.messages.map((problem: { message: string }) => problem.message) }
  const services = namedServices(valid.services)
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
      topics: valid.topics?.map((entry) => parseTopic(entry, services)) ?? null,
      modules: valid.modules ?? null,
      admin: valid.adminEmail ? { email: valid.adminEmail, fullName: valid.adminName!, username: valid.adminUsername } : null,
    },
  }
}

/**
 * The validator's sentence about one answer given the others, or null: the prompts ask again
 * until the answer is fine.
 */
export async function answerProblem(
  field: keyof SetupAnswers,
  answers: SetupAnswers,
  current: CurrentSettings,
  checkModules: CheckModules
): Promise<string | null> {
  const [error] = await setupValidator.tryValidate(setupData(answers, current), { meta: { checkModules } })
  const problems: { field: string; message: string }[] = error?.messages ?? []
  return problems.find((problem) => problem.field === field || problem.field.startsWith(`${field}.`))?.message ?? null
}

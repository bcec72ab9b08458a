import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { REGIMES, type Regime } from '#modules/dossier/models/family'
import { EMAIL_PATTERN, ageOn, normalizeCivility, normalizePhone, parseDay, show } from '#modules/dossier/services/normalize'

/*
 * One row of a families file (modules/dossier/README.md), checked by two validators compiled
 * once: the family's columns on the first row of each famille_ref, its reference and the child's
 * on every row.
 * Fields are named after the columns, so an error's field is the column the command prints.
 * Empty cells are left out of the row: absent and empty mean the same.
 */

const REFERENCE = /^[\p{L}\p{N}_.\-/]{1,40}$/u

/** "1 234,50 €" → 1235; null when nothing but spaces and €; undefined when not an amount. */
export function parseQuotient(value: string): number | null | undefined {
  const compact = value.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
  if (!compact) return null
  const amount = Number(compact)
  return Number.isFinite(amount) && amount >= 0 && amount <= 100000 ? Math.round(amount) : undefined
}

const civility = vine.createRule((value, _options, field) => {
  if (normalizeCivility(String(value)) === undefined) field.report('civilité inconnue', 'civility', field)
})

const phone = vine.createRule((value, _options, field) => {
  const normalized = normalizePhone(String(value))
  if (normalized) field.mutate(normalized, field)
  else field.report('numéro de téléphone invalide', 'phone', field)
})

const quotient = vine.createRule((value, _options, field) => {
  if (parseQuotient(String(value)) === undefined) field.report('quotient familial invalide', 'quotient', field)
})

/** Written JJ/MM/AAAA or AAAA-MM-JJ, a real day, not after `meta.today`, under 18 on that day; kept ISO. */
const birthDate = vine.createRule((value, _options, field) => {
  const day = parseDay(String(value))
  const today: string = field.meta.today
  if (!day) field.report('date invalide', 'day', field)
  else if (day > today) field.report('date de naissance dans le futur', 'future', field)
  else if (ageOn(day, today) >= 18) field.report('enfant de plus de 18 ans', 'adult', field)
  else field.mutate(day, field)
})

/** The second guardian's email differs from the first's (both already lower case when valid). */
const otherThanFirstGuardian = vine.createRule((value, _options, field) => {
  if (String(field.parent.responsable1_email ?? '').toLowerCase() === value) field.report('même adresse', 'sameEmail', field)
})

const reference = () => vine.string().regex(REFERENCE)
const email = () => vine.string().regex(EMAIL_PATTERN).maxLength(254).toLowerCase()

/** The same fields under a column prefix, their types kept: { nom } → { responsable1_nom }. */
function prefixed<P extends string, T extends Record<string, unknown>>(prefix: P, fields: T) {
  return Object.fromEntries(Object.entries(fields).map(([name, schema]) => [prefix + name, schema])) as {
    [K in keyof T & string as `${P}${K}`]: T[K]
  }
}

const guardianContact = () => ({
  civilite: vine
    .string()
    .use(civility())
    .transform((value) => normalizeCivility(value) ?? null)
    .optional(),
  email: email().optional(),
  telephone: vine.string().use(phone()).optional(),
})

// The second guardian is optional as a whole: named as soon as one of its cells is filled.
const SECOND_GUARDIAN = ['civilite', 'nom', 'prenom', 'email', 'telephone'].map((name) => `responsable2_${name}`)
const secondGuardianName = (column: string) =>
  vine
    .string()
    .optional()
    .requiredIfAnyExists(SECOND_GUARDIAN.filter((other) => other !== column))

/** The family's columns, read on the first row of each famille_ref. */
export const familyRowValidator = vine.compile(
  vine.object({
    ...prefixed('responsable1_', { nom: vine.string(), prenom: vine.string(), ...guardianContact() }),
    ...prefixed('responsable2_', {
      nom: secondGuardianName('responsable2_nom'),
      prenom: secondGuardianName('responsable2_prenom'),
      ...guardianContact(),
      email: email().use(otherThanFirstGuardian()).optional(),
    }),
    adresse: vine.string().optional(),
    code_postal: vine.string().regex(/^\d{5}$/).optional(),
    ville: vine.string().optional(),
    quotient_familial: vine
      .string()
      .use(quotient())
      .transform((value) => parseQuotient(value) ?? null)
      .optional(),
    regime: vine
      .string()
      .toUpperCase()
      .in(REGIMES)
      .transform((value) => value as Regime)
      .optional(),
  })
)

/** Every row: the family it belongs to and its child; `meta.today` is the day ages are computed on. */
export const childRowValidator = vine.withMetaData<{ today: string }>().compile(
  vine.object({
    famille_ref: reference(),
    enfant_ref: reference(),
    enfant_nom: vine.string(),
    enfant_prenom: vine.string(),
    enfant_date_naissance: vine.string().use(birthDate()),
    enfant_sexe: vine
      .string()
      .toUpperCase()
      .in(['F', 'M'])
      .transform((value) => value as 'F' | 'M')
      .optional(),
    ecole: vine.string().optional(),
    classe: vine.string().optional(),
  })
)

const INVALID_REFERENCE = 'référence invalide (lettres, chiffres, - _ . / ; 40 caractères au plus)'

function guardianMessages(position: 1 | 2) {
  const prefix = `responsable${position}_`
  return {
    [`${prefix}nom.required`]: 'nom du responsable vide',
    [`${prefix}prenom.required`]: 'prénom du responsable vide',
    [`${prefix}civilite.civility`]: 'civilité {{ shown }} inconnue (Mme ou M.)',
    [`${prefix}email.regex`]: 'adresse électronique invalide {{ shown }}',
    [`${prefix}email.maxLength`]: 'adresse électronique invalide {{ shown }}',
    [`${prefix}telephone.phone`]: 'numéro de téléphone invalide {{ shown }}',
  }
}

/**
 * The reasons the command prints after "ligne N, colonne C :", in French; `{{ shown }}` is the
 * cell as the file wrote it (« value » or (vide)), `{{ raw }}` the bare cell.
 */
export const importMessages: Record<string, string> = {
  'famille_ref.regex': INVALID_REFERENCE,
  ...guardianMessages(1),
  ...guardianMessages(2),
  'responsable2_email.sameEmail': 'les deux responsables ont la même adresse électronique',
  'code_postal.regex': 'code postal invalide {{ shown }} (5 chiffres)',
  'quotient_familial.quotient': 'quotient familial invalide {{ shown }} (nombre entier en euros)',
  'regime.in': 'régime {{ shown }} inconnu (CAF, MSA ou AUTRE)',
  'enfant_ref.required': 'référence de l’enfant vide',
  'enfant_ref.regex': INVALID_REFERENCE,
  'enfant_nom.required': 'nom de l’enfant vide',
  'enfant_prenom.required': 'prénom de l’enfant vide',
  'enfant_date_naissance.required': 'date invalide (vide) (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'enfant_date_naissance.day': 'date invalide {{ shown }} (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'enfant_date_naissance.future': 'date de naissance dans le futur ({{ raw }})',
  'enfant_date_naissance.adult': 'enfant de plus de 18 ans (date de naissance : {{ raw }})',
  'enfant_sexe.in': 'sexe {{ shown }} inconnu (F ou M)',
}

/** Reads the cell as written (rules may have normalised the value) into the message. */
class ImportMessagesProvider extends SimpleMessagesProvider {
  getMessage(rawMessage: string, rule: string, field: FieldContext, args?: Record<string, any>) {
    const raw = field.parent?.[field.name]
    return super.getMessage(rawMessage, rule, field, { ...args, raw, shown: show(raw) })
  }
}

familyRowValidator.messagesProvider = new ImportMessagesProvider(importMessages)
childRowValidator.messagesProvider = familyRowValidator.messagesProvider

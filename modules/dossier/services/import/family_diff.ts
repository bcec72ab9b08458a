import type { HistoryLine } from '#modules/dossier/services/history_service'
import type { ExistingChild, ExistingFamily, ExistingGuardian } from '#modules/dossier/services/import/existing_families'
import type { ChildInput, FamilyInput, GuardianInput } from '#modules/dossier/services/import/family_rows'
import { show } from '#modules/dossier/services/normalize'

/*
 * What one family of the file changes on file, computed in memory from what the database holds:
 * the rows to insert, the columns to update, the accounts to find or create, the report and the
 * history line. Writing it is family_writer's job.
 */

export interface FamilyReport {
  reference: string
  action: 'created' | 'updated' | 'unchanged'
  changes: string[]
}

export type Values = Record<string, string | number | boolean | null>

export interface NewGuardian {
  values: Values
  /** Filled in by the writer once the family exists and the account is known. */
  familyId?: number
  userId?: number | null
}

/** A guardian with an email and no account: an existing one (by id) or one about to be inserted. */
export interface AccountNeed {
  email: string
  fullName: string
  guardianId: number | null
  newGuardian: NewGuardian | null
}

export interface FamilyPlan {
  reference: string
  /** Null when the family is created (the writer learns its id on insert). */
  familyId: number | null
  report: FamilyReport
  familyInsert: Values | null
  familyUpdate: Values | null
  newGuardians: NewGuardian[]
  guardianUpdates: Array<{ id: number; values: Values }>
  newChildren: Values[]
  childUpdates: Array<{ id: number; values: Values }>
  accounts: AccountNeed[]
  children: { created: number; updated: number; unchanged: number }
  history: HistoryLine | null
}

/** [field of the input, column of the file, label in the report, column in the database] */
type Field<Input> = [keyof Input & string, string, string, string]

/** familyQuotient → family_quotient: the models' naming strategy. */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => '_' + letter.toLowerCase())
const withColumns = <Input>(fields: Array<[keyof Input & string, string, string]>): Array<Field<Input>> =>
  fields.map(([field, column, label]) => [field, column, label, columnOf(field)])

const FAMILY_FIELDS: Array<Field<FamilyInput>> = withColumns([
  ['address', 'adresse', 'adresse'],
  ['postalCode', 'code_postal', 'code postal'],
  ['city', 'ville', 'ville'],
  ['familyQuotient', 'quotient_familial', 'quotient familial'],
  ['regime', 'regime', 'régime'],
])

const GUARDIAN_FIELDS: Array<Field<GuardianInput>> = withColumns([
  ['civility', 'civilite', 'civilité'],
  ['lastName', 'nom', 'nom'],
  ['firstName', 'prenom', 'prénom'],
  ['email', 'email', 'courriel'],
  ['phone', 'telephone', 'téléphone'],
])

const CHILD_FIELDS: Array<Field<ChildInput>> = withColumns([
  ['lastName', 'enfant_nom', 'nom'],
  ['firstName', 'enfant_prenom', 'prénom'],
  ['birthDate', 'enfant_date_naissance', 'date de naissance'],
  ['sex', 'enfant_sexe', 'sexe'],
  ['school', 'ecole', 'école'],
  ['classLevel', 'classe', 'classe'],
])

const quotientSource = (regime: string) => (regime === 'MSA' ? 'MSA' : regime === 'CAF' ? 'CAF' : 'AUTRE')

export function planFamily(input: FamilyInput, family: ExistingFamily | null): FamilyPlan {
  const created = !family
  const changes: string[] = []
  const plan: FamilyPlan = {
    reference: input.reference,
    familyId: family?.id ?? null,
    report: { reference: input.reference, action: 'unchanged', changes: [] },
    familyInsert: null,
    familyUpdate: null,
    newGuardians: [],
    guardianUpdates: [],
    newChildren: [],
    childUpdates: [],
    accounts: [],
    children: { created: 0, updated: 0, unchanged: 0 },
    history: null,
  }

  const familyValues: Values = {}
  for (const [field, column, label, dbColumn] of FAMILY_FIELDS) {
    if (!input.present.has(column) && !(column === 'regime' && created)) continue
    const next = input[field] as string | number | null
    if (created) {
      familyValues[dbColumn] = next
    } else if ((family[field as keyof ExistingFamily] ?? null) !== next) {
      changes.push(`${label} : ${show(family[field as keyof ExistingFamily])} → ${show(next)}`)
      familyValues[dbColumn] = next
    }
  }
  const quotientChanged = created ? 'family_quotient' in familyValues : familyValues.family_quotient !== undefined
  if (input.present.has('quotient_familial') && quotientChanged && input.familyQuotient !== null) {
    const source = quotientSource(input.regime)
    if (created || family.quotientSource !== source) familyValues.quotient_source = source
  }
  if (created) plan.familyInsert = { reference: input.reference, resident: true, ...familyValues }
  else if (Object.keys(familyValues).length) plan.familyUpdate = familyValues

  for (const next of input.guardians) planGuardian(input, next, created ? undefined : family.guardians, plan, changes)
  for (const next of input.children) planChild(input, next, created ? undefined : family.children, plan, changes)

  if (created) {
    plan.report = { reference: input.reference, action: 'created', changes: [] }
    plan.history = { module: 'dossier', kind: 'family-created', text: 'Dossier créé par le service (import)' }
  } else if (changes.length) {
    plan.report = { reference: input.reference, action: 'updated', changes }
    plan.history = { module: 'dossier', kind: 'family-updated', text: `Dossier mis à jour par le service (import) : ${changes.join(' ; ')}` }
  }
  return plan
}

function planGuardian(input: FamilyInput, next: GuardianInput, guardians: ExistingGuardian[] | undefined, plan: FamilyPlan, changes: string[]) {
  const prefix = `responsable${next.position}_`
  const guardian = guardians?.find((g) => g.position === next.position)
  if (!guardian) {
    const values: Values = { position: next.position }
    for (const [field, suffix, , dbColumn] of GUARDIAN_FIELDS) {
      values[dbColumn] = input.present.has(prefix + suffix) ? (next[field] as string | null) : null
    }
    const added: NewGuardian = { values }
    plan.newGuardians.push(added)
    if (guardians) changes.push(`responsable ${next.position} ajouté : ${next.firstName} ${next.lastName}`)
    const email = values.email as string | null
    if (email) plan.accounts.push({ email, fullName: `${values.first_name} ${values.last_name}`, guardianId: null, newGuardian: added })
    return
  }
  const values: Values = {}
  const after = { ...guardian }
  for (const [field, suffix, label, dbColumn] of GUARDIAN_FIELDS) {
    if (!input.present.has(prefix + suffix)) continue
    const value = next[field] as string | null
    if ((guardian[field as keyof ExistingGuardian] ?? null) !== value) {
      changes.push(`responsable ${next.position}, ${label} : ${show(guardian[field as keyof ExistingGuardian])} → ${show(value)}`)
      values[dbColumn] = value
      ;(after as any)[field] = value
    }
  }
  if (Object.keys(values).length) plan.guardianUpdates.push({ id: guardian.id, values })
  if (after.email && !after.userId) {
    plan.accounts.push({ email: after.email, fullName: `${after.firstName} ${after.lastName}`, guardianId: guardian.id, newGuardian: null })
  }
}

function planChild(input: FamilyInput, next: ChildInput, children: ExistingChild[] | undefined, plan: FamilyPlan, changes: string[]) {
  const child = children?.find((c) => c.reference === next.reference)
  if (!child) {
    const values: Values = { reference: next.reference, diet_needs: null }
    for (const [field, column, , dbColumn] of CHILD_FIELDS) {
      values[dbColumn] = input.present.has(column) || field === 'birthDate' ? (next[field] as string | null) : null
    }
    plan.newChildren.push(values)
    plan.children.created++
    if (children) changes.push(`enfant ajouté : ${next.firstName} ${next.lastName}`)
    return
  }
  const values: Values = {}
  const childChanges: string[] = []
  for (const [field, column, label, dbColumn] of CHILD_FIELDS) {
    if (!input.present.has(column)) continue
    const before = child[field as keyof ExistingChild] ?? null
    if (before !== (next[field] ?? null)) {
      childChanges.push(`${label} : ${show(before)} → ${show(next[field])}`)
      values[dbColumn] = next[field] as string | null
    }
  }
  if (childChanges.length) {
    plan.childUpdates.push({ id: child.id, values })
    plan.children.updated++
    changes.push(`enfant ${next.reference} (${next.firstName}), ${childChanges.join(', ')}`)
  } else {
    plan.children.unchanged++
  }
}

import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Family, { REGIMES, type Regime } from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import User from '#modules/accounts/models/user'
import historyService from '#modules/dossier/services/history_service'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import { ensureParentAccount } from '#modules/dossier/services/account_bridge'
import { decodeCsv, parseCsv, CsvSyntaxError, type CsvEncoding } from '#modules/dossier/services/import/csv_parser'
import {
  EMAIL_PATTERN,
  ageOn,
  collapse,
  normalizeCivility,
  normalizePhone,
  parseDay,
  today as todayIso,
} from '#modules/dossier/services/normalize'

export const FAMILY_COLUMNS = [
  'famille_ref',
  'responsable1_civilite',
  'responsable1_nom',
  'responsable1_prenom',
  'responsable1_email',
  'responsable1_telephone',
  'responsable2_civilite',
  'responsable2_nom',
  'responsable2_prenom',
  'responsable2_email',
  'responsable2_telephone',
  'adresse',
  'code_postal',
  'ville',
  'quotient_familial',
  'regime',
] as const

export const CHILD_COLUMNS = [
  'enfant_ref',
  'enfant_nom',
  'enfant_prenom',
  'enfant_date_naissance',
  'enfant_sexe',
  'ecole',
  'classe',
] as const

export const ALL_COLUMNS: readonly string[] = [...FAMILY_COLUMNS, ...CHILD_COLUMNS]
export const REQUIRED_COLUMNS = [
  'famille_ref',
  'responsable1_nom',
  'responsable1_prenom',
  'enfant_ref',
  'enfant_nom',
  'enfant_prenom',
  'enfant_date_naissance',
]

export interface ImportOptions {
  encoding?: CsvEncoding
  ignoreUnknown?: boolean
  skipInvalid?: boolean
  dryRun?: boolean
  /** The day ages are computed on (ISO), today in Paris by default. */
  today?: string
  /** Families written per transaction. */
  batchSize?: number
  onProgress?: (families: number) => void
  onStart?: (totalFamilies: number) => void
}

export interface RowError {
  line: number
  column: string | null
  reason: string
  familyRef?: string
}

export interface FamilyReport {
  reference: string
  action: 'created' | 'updated' | 'unchanged'
  changes: string[]
}

export interface ImportResult {
  encoding: CsvEncoding | null
  delimiter: string | null
  rows: number
  families: { created: number; updated: number; unchanged: number }
  children: { created: number; updated: number; unchanged: number }
  accounts: number
  errors: RowError[]
  skippedFamilies: string[]
  reports: FamilyReport[]
  /** True when something was (or, in a dry run, would be) written. */
  imported: boolean
  dryRun: boolean
}

interface GuardianInput {
  position: 1 | 2
  civility: 'Mme' | 'M.' | null
  lastName: string
  firstName: string
  email: string | null
  phone: string | null
}

interface ChildInput {
  line: number
  reference: string
  lastName: string
  firstName: string
  birthDate: string
  sex: 'F' | 'M' | null
  school: string | null
  classLevel: string | null
}

interface FamilyInput {
  reference: string
  line: number
  /** The columns present in the file: absent columns never change what is on file. */
  present: Set<string>
  address: string | null
  postalCode: string | null
  city: string | null
  familyQuotient: number | null
  regime: Regime
  guardians: GuardianInput[]
  children: ChildInput[]
}

type Row = Record<string, string>

function emptyResult(dryRun: boolean): ImportResult {
  return {
    encoding: null,
    delimiter: null,
    rows: 0,
    families: { created: 0, updated: 0, unchanged: 0 },
    children: { created: 0, updated: 0, unchanged: 0 },
    accounts: 0,
    errors: [],
    skippedFamilies: [],
    reports: [],
    imported: false,
    dryRun,
  }
}

function addUp(total: ImportResult, part: ImportResult) {
  for (const key of ['created', 'updated', 'unchanged'] as const) {
    total.families[key] += part.families[key]
    total.children[key] += part.children[key]
  }
  total.accounts += part.accounts
  total.reports.push(...part.reports)
}

function show(value: unknown): string {
  return value === null || value === undefined || value === '' ? '(vide)' : `« ${value} »`
}

/** Reads, checks and writes a families file (one row per child). See modules/dossier/README.md. */
export async function importFamilies(buffer: Buffer, options: ImportOptions = {}): Promise<ImportResult> {
  const result = emptyResult(!!options.dryRun)
  const day = options.today ?? todayIso()

  const { text, encoding } = decodeCsv(buffer, options.encoding)
  result.encoding = encoding
  let parsed
  try {
    parsed = parseCsv(text)
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      result.errors.push({ line: error.line, column: null, reason: error.message.replace(/^Ligne \d+ : /, '') })
      return result
    }
    throw error
  }
  result.delimiter = parsed.delimiter
  result.rows = parsed.records.length

  const header = parsed.header.map((name) => name.trim().toLowerCase())
  const seen = new Set<string>()
  for (const name of header) {
    if (name && !ALL_COLUMNS.includes(name) && !options.ignoreUnknown) {
      result.errors.push({ line: 1, column: name || '(sans nom)', reason: 'colonne inconnue (utilisez --ignore-unknown pour l’ignorer)' })
    }
    if (seen.has(name) && ALL_COLUMNS.includes(name)) {
      result.errors.push({ line: 1, column: name, reason: 'colonne en double' })
    }
    seen.add(name)
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name)) result.errors.push({ line: 1, column: name, reason: 'colonne obligatoire absente' })
  }
  if (result.errors.length) return result
  if (!parsed.records.length) {
    result.errors.push({ line: 2, column: null, reason: 'le fichier ne contient aucune ligne après l’en-tête' })
    return result
  }

  const present = new Set(header.filter((name) => ALL_COLUMNS.includes(name)))
  const families = new Map<string, FamilyInput>()
  const familyRows = new Map<string, { line: number; row: Row }>()
  const badFamilies = new Set<string>()
  const errorsOf = (familyRef: string) => (line: number, column: string | null, reason: string) => {
    result.errors.push({ line, column, reason, familyRef })
    if (familyRef) badFamilies.add(familyRef)
  }

  for (const record of parsed.records) {
    const row: Row = {}
    header.forEach((name, index) => {
      if (present.has(name)) row[name] = collapse(record.cells[index])
    })
    const ref = row.famille_ref ?? ''
    const fail = errorsOf(ref)
    if (record.cells.length !== header.length) {
      fail(record.line, null, `${record.cells.length} colonnes au lieu de ${header.length} (séparateur « ${parsed.delimiter} »)`)
      continue
    }
    if (!ref) {
      fail(record.line, 'famille_ref', 'référence de famille vide')
      continue
    }
    if (!/^[\p{L}\p{N}_.\-/]{1,40}$/u.test(ref)) {
      fail(record.line, 'famille_ref', 'référence invalide (lettres, chiffres, - _ . / ; 40 caractères au plus)')
    }

    const first = familyRows.get(ref)
    if (first) {
      for (const column of FAMILY_COLUMNS) {
        if (present.has(column) && (first.row[column] ?? '') !== (row[column] ?? '')) {
          fail(
            record.line,
            column,
            `la famille ${ref} a une autre valeur ligne ${first.line} (${show(first.row[column])} ici ${show(row[column])})`
          )
        }
      }
    } else {
      familyRows.set(ref, { line: record.line, row })
      const family = readFamily(ref, record.line, row, present, fail)
      if (family) families.set(ref, family)
    }

    const child = readChild(record.line, row, day, fail)
    const family = families.get(ref)
    if (child && family) {
      const sameRef = family.children.find((other) => other.reference === child.reference)
      const samePerson = family.children.find(
        (other) =>
          other.birthDate === child.birthDate &&
          other.firstName.toLowerCase() === child.firstName.toLowerCase() &&
          other.lastName.toLowerCase() === child.lastName.toLowerCase()
      )
      if (sameRef) fail(record.line, 'enfant_ref', `enfant en double : la référence ${child.reference} figure déjà ligne ${sameRef.line}`)
      else if (samePerson) fail(record.line, 'enfant_prenom', `enfant en double : ${child.firstName} ${child.lastName} figure déjà ligne ${samePerson.line}`)
      else family.children.push(child)
    }
  }

  result.errors.sort((a, b) => a.line - b.line)
  if (result.errors.length && !options.skipInvalid) return result

  result.skippedFamilies = [...badFamilies].filter(Boolean)
  const valid = [...families.values()].filter((family) => !badFamilies.has(family.reference))
  options.onStart?.(valid.length)
  const batchSize = options.batchSize ?? 100
  const dialect = db.connection().dialect.name

  for (let start = 0; start < valid.length; start += batchSize) {
    const batch = valid.slice(start, start + batchSize)
    // Counted apart and added once the batch is written: a batch retried (database busy) counts once.
    const part = emptyResult(!!options.dryRun)
    const write = async (trx: TransactionClientContract, needAccounts: Guardian[]) => {
      const existing = await Family.query({ client: trx })
        .whereIn('reference', batch.map((family) => family.reference))
        .preload('guardians')
        .preload('children')
      const byRef = new Map(existing.map((family) => [family.reference, family]))
      for (const input of batch) {
        const report = await applyFamily(input, byRef.get(input.reference) ?? null, trx, part, needAccounts, !!options.dryRun)
        part.reports.push(report)
        part.families[report.action]++
      }
    }
    const started = Date.now()
    if (options.dryRun) {
      const needAccounts: Guardian[] = []
      const trx = await db.transaction()
      try {
        await write(trx, needAccounts)
      } finally {
        await trx.rollback()
      }
      for (const guardian of needAccounts) {
        const user = await User.query().whereRaw('lower(email) = ?', [guardian.email!.toLowerCase()]).first()
        if (!user) part.accounts++
      }
    } else {
      await retryWhenBusy(async () => {
        Object.assign(part, emptyResult(false))
        await db.transaction(async (trx) => {
          const needAccounts: Guardian[] = []
          await write(trx, needAccounts)
          for (const guardian of needAccounts) {
            const account = await ensureParentAccount(guardian.email!, guardian.fullName, trx)
            if (!account) continue
            if (account.created) part.accounts++
            await Guardian.query({ client: trx }).where('id', guardian.id).update({ user_id: account.user.id })
          }
        })
      })
    }
    addUp(result, part)
    options.onProgress?.(batch.length)
    await yieldWriteLock(dialect, Date.now() - started)
  }
  result.imported = valid.length > 0
  return result
}

function readFamily(
  reference: string,
  line: number,
  row: Row,
  present: Set<string>,
  fail: (line: number, column: string | null, reason: string) => void
): FamilyInput | null {
  const guardians: GuardianInput[] = []
  for (const position of [1, 2] as const) {
    const prefix = `responsable${position}_`
    const lastName = row[prefix + 'nom'] ?? ''
    const firstName = row[prefix + 'prenom'] ?? ''
    const rawEmail = row[prefix + 'email'] ?? ''
    const rawPhone = row[prefix + 'telephone'] ?? ''
    const rawCivility = row[prefix + 'civilite'] ?? ''
    const any = lastName || firstName || rawEmail || rawPhone || rawCivility
    if (position === 2 && !any) continue
    if (!lastName) fail(line, prefix + 'nom', 'nom du responsable vide')
    if (!firstName) fail(line, prefix + 'prenom', 'prénom du responsable vide')
    const civility = normalizeCivility(rawCivility)
    if (civility === undefined) fail(line, prefix + 'civilite', `civilité ${show(rawCivility)} inconnue (Mme ou M.)`)
    let email: string | null = null
    if (rawEmail) {
      if (EMAIL_PATTERN.test(rawEmail) && rawEmail.length <= 254) email = rawEmail.toLowerCase()
      else fail(line, prefix + 'email', `adresse électronique invalide ${show(rawEmail)}`)
    }
    let phone: string | null = null
    if (rawPhone) {
      phone = normalizePhone(rawPhone)
      if (!phone) fail(line, prefix + 'telephone', `numéro de téléphone invalide ${show(rawPhone)}`)
    }
    guardians.push({ position, civility: civility ?? null, lastName, firstName, email, phone })
  }
  if (guardians.length === 2 && guardians[0].email && guardians[0].email === guardians[1].email) {
    fail(line, 'responsable2_email', 'les deux responsables ont la même adresse électronique')
  }

  const postalCode = row.code_postal || null
  if (postalCode && !/^\d{5}$/.test(postalCode)) fail(line, 'code_postal', `code postal invalide ${show(postalCode)} (5 chiffres)`)

  let familyQuotient: number | null = null
  const rawQf = (row.quotient_familial ?? '').replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
  if (rawQf) {
    const value = Number(rawQf)
    if (!Number.isFinite(value) || value < 0 || value > 100000) {
      fail(line, 'quotient_familial', `quotient familial invalide ${show(row.quotient_familial)} (nombre entier en euros)`)
    } else {
      familyQuotient = Math.round(value)
    }
  }

  const rawRegime = (row.regime ?? '').toUpperCase()
  let regime: Regime = 'CAF'
  if (rawRegime) {
    if (REGIMES.includes(rawRegime as Regime)) regime = rawRegime as Regime
    else fail(line, 'regime', `régime ${show(row.regime)} inconnu (CAF, MSA ou AUTRE)`)
  }

  return {
    reference,
    line,
    present,
    address: row.adresse || null,
    postalCode,
    city: row.ville || null,
    familyQuotient,
    regime,
    guardians,
    children: [],
  }
}

function readChild(line: number, row: Row, day: string, fail: (line: number, column: string | null, reason: string) => void): ChildInput | null {
  let ok = true
  const bad = (column: string, reason: string) => {
    ok = false
    fail(line, column, reason)
  }
  const reference = row.enfant_ref ?? ''
  if (!reference) bad('enfant_ref', 'référence de l’enfant vide')
  else if (!/^[\p{L}\p{N}_.\-/]{1,40}$/u.test(reference)) bad('enfant_ref', 'référence invalide (lettres, chiffres, - _ . / ; 40 caractères au plus)')
  if (!row.enfant_nom) bad('enfant_nom', 'nom de l’enfant vide')
  if (!row.enfant_prenom) bad('enfant_prenom', 'prénom de l’enfant vide')
  const birthDate = parseDay(row.enfant_date_naissance ?? '')
  if (!birthDate) {
    bad('enfant_date_naissance', `date invalide ${show(row.enfant_date_naissance)} (JJ/MM/AAAA ou AAAA-MM-JJ)`)
  } else if (birthDate > day) {
    bad('enfant_date_naissance', `date de naissance dans le futur (${row.enfant_date_naissance})`)
  } else if (ageOn(birthDate, day) >= 18) {
    bad('enfant_date_naissance', `enfant de plus de 18 ans (date de naissance : ${row.enfant_date_naissance})`)
  }
  const rawSex = (row.enfant_sexe ?? '').toUpperCase()
  if (rawSex && rawSex !== 'F' && rawSex !== 'M') bad('enfant_sexe', `sexe ${show(row.enfant_sexe)} inconnu (F ou M)`)
  if (!ok) return null
  return {
    line,
    reference,
    lastName: row.enfant_nom,
    firstName: row.enfant_prenom,
    birthDate: birthDate!,
    sex: (rawSex || null) as 'F' | 'M' | null,
    school: row.ecole || null,
    classLevel: row.classe || null,
  }
}

const FAMILY_FIELDS: Array<[keyof FamilyInput & keyof Family, string, string]> = [
  ['address', 'adresse', 'adresse'],
  ['postalCode', 'code_postal', 'code postal'],
  ['city', 'ville', 'ville'],
  ['familyQuotient', 'quotient_familial', 'quotient familial'],
  ['regime', 'regime', 'régime'],
]

const GUARDIAN_FIELDS: Array<[keyof GuardianInput & keyof Guardian, string, string]> = [
  ['civility', 'civilite', 'civilité'],
  ['lastName', 'nom', 'nom'],
  ['firstName', 'prenom', 'prénom'],
  ['email', 'email', 'courriel'],
  ['phone', 'telephone', 'téléphone'],
]

const CHILD_FIELDS: Array<[keyof ChildInput & keyof Child, string, string]> = [
  ['lastName', 'enfant_nom', 'nom'],
  ['firstName', 'enfant_prenom', 'prénom'],
  ['birthDate', 'enfant_date_naissance', 'date de naissance'],
  ['sex', 'enfant_sexe', 'sexe'],
  ['school', 'ecole', 'école'],
  ['classLevel', 'classe', 'classe'],
]

async function applyFamily(
  input: FamilyInput,
  family: Family | null,
  trx: TransactionClientContract,
  result: ImportResult,
  needAccounts: Guardian[],
  dryRun: boolean
): Promise<FamilyReport> {
  const changes: string[] = []
  const created = !family
  if (!family) {
    family = new Family()
    family.useTransaction(trx)
    family.reference = input.reference
    family.resident = true
  }
  for (const [field, column, label] of FAMILY_FIELDS) {
    if (!input.present.has(column) && !(column === 'regime' && created)) continue
    const next = input[field] as any
    if (created) {
      ;(family as any)[field] = next
    } else if ((family[field] ?? null) !== next) {
      changes.push(`${label} : ${show(family[field])} → ${show(next)}`)
      ;(family as any)[field] = next
    }
  }
  if (input.present.has('quotient_familial') && family.$dirty.familyQuotient !== undefined && input.familyQuotient !== null) {
    family.quotientSource = input.regime === 'MSA' ? 'MSA' : input.regime === 'CAF' ? 'CAF' : 'AUTRE'
  }
  if (created || family.$isDirty) await family.save()

  const guardians = created ? [] : family.guardians
  for (const next of input.guardians) {
    const prefix = `responsable${next.position}_`
    let guardian = guardians.find((g) => g.position === next.position)
    const isNew = !guardian
    if (!guardian) {
      guardian = new Guardian()
      guardian.useTransaction(trx)
      guardian.familyId = family.id
      guardian.position = next.position
    } else {
      guardian.useTransaction(trx)
    }
    for (const [field, suffix, label] of GUARDIAN_FIELDS) {
      if (!input.present.has(prefix + suffix) && !isNew) continue
      const value = input.present.has(prefix + suffix) ? (next[field] as any) : null
      if (!isNew && (guardian[field] ?? null) !== value) {
        changes.push(`responsable ${next.position}, ${label} : ${show(guardian[field])} → ${show(value)}`)
      }
      ;(guardian as any)[field] = value
    }
    if (isNew && !created) changes.push(`responsable ${next.position} ajouté : ${next.firstName} ${next.lastName}`)
    if (isNew || guardian.$isDirty) await guardian.save()
    if (guardian.email && !guardian.userId) needAccounts.push(guardian)
  }

  const children = created ? [] : family.children
  for (const next of input.children) {
    let child = children.find((c) => c.reference === next.reference)
    if (!child) {
      child = new Child()
      child.useTransaction(trx)
      child.familyId = family.id
      child.reference = next.reference
      for (const [field, column] of CHILD_FIELDS) {
        if (input.present.has(column) || field === 'birthDate') (child as any)[field] = next[field]
      }
      child.dietNeeds = []
      await child.save()
      result.children.created++
      if (!created) changes.push(`enfant ajouté : ${next.firstName} ${next.lastName}`)
      continue
    }
    child.useTransaction(trx)
    const childChanges: string[] = []
    for (const [field, column, label] of CHILD_FIELDS) {
      if (!input.present.has(column)) continue
      if ((child[field] ?? null) !== (next[field] ?? null)) {
        childChanges.push(`${label} : ${show(child[field])} → ${show(next[field])}`)
        ;(child as any)[field] = next[field]
      }
    }
    if (childChanges.length) {
      await child.save()
      result.children.updated++
      changes.push(`enfant ${next.reference} (${next.firstName}), ${childChanges.join(', ')}`)
    } else {
      result.children.unchanged++
    }
  }

  if (created) {
    if (!dryRun) {
      await historyService.record(family.id, { module: 'dossier', kind: 'family-created', text: 'Dossier créé par le service (import)' }, trx)
    }
    return { reference: input.reference, action: 'created', changes: [] }
  }
  if (changes.length) {
    if (!dryRun) {
      await historyService.record(
        family.id,
        { module: 'dossier', kind: 'family-updated', text: `Dossier mis à jour par le service (import) : ${changes.join(' ; ')}` },
        trx
      )
    }
    return { reference: input.reference, action: 'updated', changes }
  }
  return { reference: input.reference, action: 'unchanged', changes: [] }
}

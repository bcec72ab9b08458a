import { REGIMES, type Regime } from '#modules/dossier/models/family'
import { ALL_COLUMNS, FAMILY_COLUMNS, REQUIRED_COLUMNS } from '#modules/dossier/services/import/family_columns'
import { decodeCsv, parseCsv, CsvSyntaxError, type CsvEncoding } from '#modules/dossier/services/import/csv_parser'
import {
  EMAIL_PATTERN,
  ageOn,
  collapse,
  normalizeCivility,
  normalizePhone,
  parseDay,
} from '#modules/dossier/services/normalize'

/*
 * Reading a families file: decoding, columns, one FamilyInput per famille_ref with its children,
 * and every error with its line and column. Nothing here touches the database.
 */

export interface RowError {
  line: number
  column: string | null
  reason: string
  familyRef?: string
}

export interface GuardianInput {
  position: 1 | 2
  civility: 'Mme' | 'M.' | null
  lastName: string
  firstName: string
  email: string | null
  phone: string | null
}

export interface ChildInput {
  line: number
  reference: string
  lastName: string
  firstName: string
  birthDate: string
  sex: 'F' | 'M' | null
  school: string | null
  classLevel: string | null
}

export interface FamilyInput {
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

export type Row = Record<string, string>

export interface FileReading {
  encoding: CsvEncoding | null
  delimiter: string | null
  rows: number
  errors: RowError[]
  /** Every family read without error, in file order. */
  families: FamilyInput[]
  /** References of the families with at least one error. */
  badFamilies: Set<string>
  /** The file cannot be read at all (syntax, header, no rows): --skip-invalid does not apply. */
  stopped: boolean
}

export function show(value: unknown): string {
  return value === null || value === undefined || value === '' ? '(vide)' : `« ${value} »`
}

/** Decodes, parses and checks a file; `day` is the day ages are computed on (ISO). */
export function readFamiliesFile(buffer: Buffer, options: { encoding?: CsvEncoding; ignoreUnknown?: boolean }, day: string): FileReading {
  const result: FileReading = { encoding: null, delimiter: null, rows: 0, errors: [], families: [], badFamilies: new Set(), stopped: true }
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

  result.stopped = false
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
  result.families = [...families.values()].filter((family) => !badFamilies.has(family.reference))
  result.badFamilies = badFamilies
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

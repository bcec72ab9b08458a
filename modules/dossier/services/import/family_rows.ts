import type { Infer } from '@vinejs/vine/types'
import type { Regime } from '#modules/dossier/models/family'
import { ALL_COLUMNS, FAMILY_COLUMNS, REQUIRED_COLUMNS } from '#modules/dossier/services/import/family_columns'
import { decodeCsv, detectDelimiter, parseCsv, CsvEncodingError, CsvSyntaxError, type CsvEncoding } from '#modules/dossier/services/import/csv_parser'
import { collapse, show } from '#modules/dossier/services/normalize'
import { childRowValidator, familyRowValidator } from '#modules/dossier/validators/family_import'

/*
 * Reading a families file: decoding, columns, one FamilyInput per famille_ref with its children,
 * and every error with its line and column. Each row's cells are checked by the validators of
 * validators/family_import.ts; what spans rows (a family's columns alike on all its rows, the
 * same child twice) is checked here. Nothing here touches the database.
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

/** The header's name of the field a bad byte is in (counting separators before it), or null. */
function columnAt(buffer: Buffer, error: CsvEncodingError): string | null {
  if (error.line === 1) return null
  const headerLine = new TextDecoder('utf-8').decode(buffer.subarray(0, Math.max(0, buffer.indexOf(0x0a)))).replace(/^\uFEFF/, '')
  const delimiter = detectDelimiter(headerLine)
  let field = 0
  let quoted = false
  for (const char of error.before) {
    if (char === '"') quoted = !quoted
    else if (!quoted && char === delimiter) field++
  }
  return headerLine.split(delimiter)[field]?.trim().replace(/^"|"$/g, '') || null
}

function invalidBytes(error: CsvEncodingError) {
  return (
    `octet 0x${error.byte.toString(16).toUpperCase()} invalide en UTF-8 (caractère ${error.position} de la ligne) : ` +
    `le fichier n'est pas en UTF-8, rien n'a été importé ; relancez sans --encoding (détection) ou avec --encoding=windows-1252`
  )
}

/** Decodes, parses and checks a file; `day` is the day ages are computed on (ISO). */
export async function readFamiliesFile(
  buffer: Buffer,
  options: { encoding?: CsvEncoding; ignoreUnknown?: boolean },
  day: string
): Promise<FileReading> {
  const result: FileReading = { encoding: null, delimiter: null, rows: 0, errors: [], families: [], badFamilies: new Set(), stopped: true }
  let decoded
  try {
    decoded = decodeCsv(buffer, options.encoding)
  } catch (error) {
    if (!(error instanceof CsvEncodingError)) throw error
    result.encoding = 'utf-8'
    result.errors.push({ line: error.line, column: columnAt(buffer, error), reason: `${invalidBytes(error)}` })
    return result
  }
  const { text, encoding } = decoded
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
  const cellsRead = header.flatMap((name, index) => (present.has(name) ? [[name, index] as const] : []))
  const families = new Map<string, FamilyInput | null>()
  const familyRows = new Map<string, { line: number; row: Row }>()
  // Every valid child by famille_ref, a family's columns valid or not, to find the same child twice.
  const childrenOf = new Map<string, ChildInput[]>()
  const badFamilies = new Set<string>()
  const childOptions = { meta: { today: day } }

  for (const record of parsed.records) {
    const row: Row = {}
    for (const [name, index] of cellsRead) {
      const cell = collapse(record.cells[index])
      if (cell) row[name] = cell
    }
    const ref = row.famille_ref ?? ''
    const fail = (column: string | null, reason: string) => {
      result.errors.push({ line: record.line, column, reason, familyRef: ref })
      if (ref) badFamilies.add(ref)
    }
    if (record.cells.length !== header.length) {
      fail(null, `${record.cells.length} colonnes au lieu de ${header.length} (séparateur « ${parsed.delimiter} »)`)
      continue
    }
    // A row without famille_ref belongs to no family: nothing else on it can be judged.
    if (!ref) {
      fail('famille_ref', 'référence de famille vide')
      continue
    }

    const [childError, child] = await childRowValidator.tryValidate(row, childOptions)
    const childProblems = childError?.messages ?? []
    for (const problem of childProblems) if (problem.field === 'famille_ref') fail(problem.field, problem.message)

    const first = familyRows.get(ref)
    if (first) {
      for (const column of FAMILY_COLUMNS) {
        if (present.has(column) && (first.row[column] ?? '') !== (row[column] ?? '')) {
          fail(column, `la famille ${ref} a une autre valeur ligne ${first.line} (${show(first.row[column])} ici ${show(row[column])})`)
        }
      }
    } else {
      familyRows.set(ref, { line: record.line, row })
      const [familyError, family] = await familyRowValidator.tryValidate(row)
      for (const problem of familyError?.messages ?? []) fail(problem.field, problem.message)
      families.set(ref, family && toFamily(ref, record.line, present, family))
    }

    for (const problem of childProblems) if (problem.field !== 'famille_ref') fail(problem.field, problem.message)
    if (!child) continue
    const children = childrenOf.get(ref) ?? []
    childrenOf.set(ref, children)
    const sameRef = children.find((other) => other.reference === child.enfant_ref)
    const samePerson = children.find(
      (other) =>
        other.birthDate === child.enfant_date_naissance &&
        other.firstName.toLowerCase() === child.enfant_prenom.toLowerCase() &&
        other.lastName.toLowerCase() === child.enfant_nom.toLowerCase()
    )
    if (sameRef) fail('enfant_ref', `enfant en double : la référence ${child.enfant_ref} figure déjà ligne ${sameRef.line}`)
    else if (samePerson) fail('enfant_prenom', `enfant en double : ${child.enfant_prenom} ${child.enfant_nom} figure déjà ligne ${samePerson.line}`)
    else children.push(toChild(record.line, child))
  }

  result.errors.sort((a, b) => a.line - b.line)
  for (const [ref, family] of families) {
    if (family && !badFamilies.has(ref)) result.families.push({ ...family, children: childrenOf.get(ref) ?? [] })
  }
  result.badFamilies = badFamilies
  return result
}

function toFamily(reference: string, line: number, present: Set<string>, row: Infer<typeof familyRowValidator>): FamilyInput {
  const guardians: GuardianInput[] = [
    {
      position: 1,
      civility: row.responsable1_civilite ?? null,
      lastName: row.responsable1_nom,
      firstName: row.responsable1_prenom,
      email: row.responsable1_email ?? null,
      phone: row.responsable1_telephone ?? null,
    },
  ]
  if (row.responsable2_nom) {
    guardians.push({
      position: 2,
      civility: row.responsable2_civilite ?? null,
      lastName: row.responsable2_nom,
      firstName: row.responsable2_prenom!,
      email: row.responsable2_email ?? null,
      phone: row.responsable2_telephone ?? null,
    })
  }
  return {
    reference,
    line,
    present,
    address: row.adresse ?? null,
    postalCode: row.code_postal ?? null,
    city: row.ville ?? null,
    familyQuotient: row.quotient_familial ?? null,
    regime: row.regime ?? 'CAF',
    guardians,
    children: [],
  }
}

function toChild(line: number, row: Infer<typeof childRowValidator>): ChildInput {
  return {
    line,
    reference: row.enfant_ref,
    lastName: row.enfant_nom,
    firstName: row.enfant_prenom,
    birthDate: row.enfant_date_naissance,
    sex: row.enfant_sexe ?? null,
    school: row.ecole ?? null,
    classLevel: row.classe ?? null,
  }
}

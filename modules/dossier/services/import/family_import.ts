import db from '@adonisjs/lucid/services/db'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import type { CsvEncoding } from '#modules/dossier/services/import/csv_parser'
import { readFamiliesFile, type RowError } from '#modules/dossier/services/import/family_rows'
import { loadExistingFamilies } from '#modules/dossier/services/import/existing_families'
import { planFamily, type FamilyPlan, type FamilyReport } from '#modules/dossier/services/import/family_diff'
import { countMissingAccounts, writePlans } from '#modules/dossier/services/import/family_writer'
import { parisDayOf } from '#core/calendar_day'

export { ALL_COLUMNS, CHILD_COLUMNS, FAMILY_COLUMNS, REQUIRED_COLUMNS } from '#modules/dossier/services/import/family_columns'
export type { RowError } from '#modules/dossier/services/import/family_rows'
export type { FamilyReport } from '#modules/dossier/services/import/family_diff'

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

function countPlans(part: ImportResult, plans: FamilyPlan[]) {
  for (const plan of plans) {
    part.reports.push(plan.report)
    part.families[plan.report.action]++
    for (const key of ['created', 'updated', 'unchanged'] as const) part.children[key] += plan.children[key]
  }
}

/**
 * Reads, checks and writes a families file (one row per child). See modules/dossier/README.md.
 * Each batch: what the database holds for its families (a few queries), the diff in memory,
 * then multi-row inserts and updates of what changed, in one transaction.
 */
export async function importFamilies(buffer: Buffer, options: ImportOptions = {}): Promise<ImportResult> {
  const result = emptyResult(!!options.dryRun)
  const reading = await readFamiliesFile(buffer, options, options.today ?? parisDayOf())
  result.encoding = reading.encoding
  result.delimiter = reading.delimiter
  result.rows = reading.rows
  result.errors = reading.errors
  if (reading.stopped || (result.errors.length && !options.skipInvalid)) return result

  result.skippedFamilies = [...reading.badFamilies].filter(Boolean)
  const valid = reading.families
  options.onStart?.(valid.length)
  const batchSize = options.batchSize ?? 1000
  const dialect = db.connection().dialect.name

  for (let start = 0; start < valid.length; start += batchSize) {
    const batch = valid.slice(start, start + batchSize)
    // Counted apart and added once the batch is written: a batch retried (database busy) counts once.
    const part = emptyResult(!!options.dryRun)
    const started = Date.now()
    if (options.dryRun) {
      const existing = await loadExistingFamilies(db.connection(), batch.map((family) => family.reference))
      const plans = batch.map((input) => planFamily(input, existing.get(input.reference) ?? null))
      countPlans(part, plans)
      part.accounts = await countMissingAccounts(plans)
    } else {
      await retryWhenBusy(async () => {
        Object.assign(part, emptyResult(false))
        await db.transaction(async (trx) => {
          const existing = await loadExistingFamilies(trx, batch.map((family) => family.reference))
          const plans = batch.map((input) => planFamily(input, existing.get(input.reference) ?? null))
          part.accounts = await writePlans(trx, plans)
          countPlans(part, plans)
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

import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { directRead, listOf } from '#core/direct_sql'
import { PAGE_CHANGES_TABLE } from '#core/page_change_triggers'

/*
 * The counts of #core/page_change_triggers, read and folded. A page cache (#core/family_page_cache)
 * keeps a page with the counts read before its data, and serves it again while they are the same.
 *
 * The table only grows by inserts (a write never waits for another's row, so no lock order to
 * keep); `compactPageChanges` folds each scope's rows into one, keeping their sum. The sum of a
 * scope then only grows, and it grows at each commit whatever the order of the commits — which a
 * maximum id would not (PostgreSQL gives ids before the commits).
 */

/** The scopes' counts now, as one text ('' for a scope never written). Read before the data they stamp. */
export async function readPageChanges(scopes: string[]): Promise<string> {
  const rows = await directRead<{ scope: string; n: number | string }>(
    `select scope, sum(n) as n from ${PAGE_CHANGES_TABLE} where scope in (?) group by scope`,
    [listOf(scopes)]
  )
  const counts = new Map(rows.map((row) => [row.scope, String(row.n)]))
  return scopes.map((scope) => `${scope}=${counts.get(scope) ?? ''}`).join(';')
}

/** Scopes folded in one transaction. */
const COMPACT_BATCH = 500

/**
 * Folds each scope's rows into one row holding their sum: the sums stay the same, the table keeps
 * one row a scope. The rows folded are those this call deleted (`returning`), so two processes
 * compacting at once count each row once. Returns the rows taken away.
 */
export async function compactPageChanges(): Promise<number> {
  let removed = 0
  for (;;) {
    const folded = await db.transaction(async (trx) => {
      const result = await trx.rawQuery(
        `delete from ${PAGE_CHANGES_TABLE} where scope in (select scope from ${PAGE_CHANGES_TABLE} group by scope having count(*) > 1 limit ${COMPACT_BATCH}) returning scope, n`
      )
      // SQLite's driver gives the rows, PostgreSQL's a result holding them.
      const deleted: { scope: string; n: number | string }[] = Array.isArray(result) ? result : result.rows
      const sums = new Map<string, number>()
      for (const row of deleted) sums.set(row.scope, (sums.get(row.scope) ?? 0) + Number(row.n))
      if (sums.size) await trx.table(PAGE_CHANGES_TABLE).multiInsert([...sums].map(([scope, n]) => ({ scope, n })))
      return deleted.length - sums.size
    })
    removed += Math.max(folded, 0)
    if (folded <= 0) return removed
  }
}

/** The web server folds the counts every COMPACT_EVERY_MS. */
const COMPACT_EVERY_MS = 60_000
let timer: NodeJS.Timeout | null = null

export function startCompactingPageChanges() {
  if (timer) return
  timer = setInterval(() => {
    compactPageChanges().catch((error) => logger.error({ err: error }, 'page_changes : regroupement interrompu'))
  }, COMPACT_EVERY_MS)
  timer.unref()
}

export function stopCompactingPageChanges() {
  if (timer) clearInterval(timer)
  timer = null
}

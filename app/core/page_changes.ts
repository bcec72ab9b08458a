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

/** Scopes folded in one transaction (one statement on PostgreSQL, three on SQLite). */
const COMPACT_BATCH = 500

const SCOPES_TO_FOLD = (upTo: string) =>
  `select scope from ${PAGE_CHANGES_TABLE}${upTo} group by scope having count(*) > 1 order by scope limit ${COMPACT_BATCH}`

/**
 * Folds a batch of scopes' rows into one row each, holding their sum; returns the scopes folded.
 * No row goes through the process and no sum ever goes down (a page kept with a count would be
 * sent again after a write): on PostgreSQL the rows summed are exactly those the same statement
 * deleted; on SQLite nothing else writes during the transaction, and the rows folded are those
 * up to the greatest id before it.
 */
async function foldBatch(): Promise<number> {
  return db.transaction(async (trx) => {
    if (trx.dialect.name === 'postgres') {
      const result = await trx.rawQuery(
        `with gone as (delete from ${PAGE_CHANGES_TABLE} where scope in (${SCOPES_TO_FOLD('')}) returning scope, n) ` +
          `insert into ${PAGE_CHANGES_TABLE} (scope, n) select scope, sum(n) from gone group by scope`
      )
      return result.rowCount ?? 0
    }
    const [{ top }] = await trx.rawQuery(`select coalesce(max(id), 0) as top from ${PAGE_CHANGES_TABLE}`)
    const upTo = ` where id <= ${Number(top)}`
    const inserted = await trx.rawQuery(
      `insert into ${PAGE_CHANGES_TABLE} (scope, n) select scope, sum(n) from ${PAGE_CHANGES_TABLE}${upTo} and scope in (${SCOPES_TO_FOLD(upTo)}) group by scope`
    )
    await trx.rawQuery(`delete from ${PAGE_CHANGES_TABLE}${upTo} and scope in (${SCOPES_TO_FOLD(upTo)})`)
    return Number(inserted.changes ?? 0)
  })
}

let foldedUpTo = -1

/**
 * Folds the scopes written more than once into one row each (the sums stay the same, the table
 * keeps about one row a scope), a batch at a time so that the requests go between. Skipped when
 * nothing was written since the last time. Returns the scopes folded.
 */
export async function compactPageChanges(): Promise<number> {
  const [{ top }] = await directRead<{ top: number | string | null }>(`select max(id) as top from ${PAGE_CHANGES_TABLE}`)
  if (Number(top ?? 0) === foldedUpTo) return 0
  let folded = 0
  for (;;) {
    const batch = await foldBatch()
    folded += batch
    if (batch < COMPACT_BATCH) break
    await new Promise((resolve) => setImmediate(resolve))
  }
  const [after] = await directRead<{ top: number | string | null }>(`select max(id) as top from ${PAGE_CHANGES_TABLE}`)
  foldedUpTo = Number(after.top ?? 0)
  return folded
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

import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { FamilyPageCache } from '#core/family_page_cache'
import { CATALOGUE_SCOPE, PAGE_CHANGES_TABLE, familyScope } from '#core/page_change_triggers'
import { directRead, listOf } from '#core/direct_sql'

/** Whose page it is and what it shows of the days: read again to check it. */
export interface PlanningPageShape {
  familyId: number
  activityIds: number[]
  start: string
  end: string
}

/**
 * The planning pages (month, week, summary) a family asks for again, kept while what they show
 * reads the same (#core/family_page_cache): the family's and the catalogue's counts of writes
 * (the family's count moves too when its guardians' accounts change: the account still acts for it),
 * the activity days' places and closures (every other family's booking changes them), the
 * layout's user and commune, and the clock.
 */
export const planningPageCache = new FamilyPageCache<PlanningPageShape>()

/** A day as its cells show it, in one text: places, capacities, closure (its reason last, its length first). */
const DAY_READ =
  "id || ':' || closed || ':' || room_capacity || ':' || capacity_under6 || ':' || capacity_over6 || ':' || booked_under6 || ':' || booked_over6" +
  " || ':' || length(coalesce(closed_reason, '')) || ':' || coalesce(closed_reason, '')"

function orderedList(expression: string, order: string) {
  return db.connection().dialect.name === 'postgres'
    ? `string_agg(${expression}, ';' order by ${order})`
    : `group_concat(${expression}, ';' order by ${order})`
}

/**
 * What a planning page of `shape` is made of, read now in one statement: the counts of writes to
 * what the family's planning shows and the days' places, then the layout's user and commune.
 * Read before the page's data: a write after it shows as another basis.
 */
export async function readPlanningBasis(ctx: HttpContext, shape: PlanningPageShape): Promise<string> {
  const [row] = await directRead<{ changes: string | null; days: string | null }>(
    `select (select ${orderedList("scope || '=' || total", 'scope')} from ` +
      `(select scope, sum(n) as total from ${PAGE_CHANGES_TABLE} where scope in (?) group by scope) counts) as changes, ` +
      `(select ${orderedList(DAY_READ, 'id')} from activity_days where activity_id in (?) and day between ? and ?) as days`,
    [listOf([familyScope(shape.familyId), CATALOGUE_SCOPE]), listOf(shape.activityIds), shape.start, shape.end]
  )
  const layout = await planningPageCache.layoutBasis(ctx)
  return `${shape.familyId}|${shape.activityIds.join(',')}|${shape.start}|${shape.end}\n${row.changes ?? ''}\n${row.days ?? ''}\n${layout}`
}

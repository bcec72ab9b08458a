import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { FamilyPageCache } from '#core/family_page_cache'
import { CATALOGUE_SCOPE, PAGE_CHANGES_TABLE, familyScope } from '#core/page_change_triggers'
import { directRead, listOf } from '#core/direct_sql'
import type { DayRow } from '#modules/planning/models/activity_day'

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

/**
 * A day as its cells show it, in one text: places, capacities, closure (its reason last, its
 * length first, in characters as SQL's length() counts them: code points, so an emoji is one).
 * `dayReadOf` writes the same text from a day the page read.
 */
const DAY_READ =
  "id || ':' || (case when closed then 1 else 0 end) || ':' || room_capacity || ':' || capacity_under6 || ':' || capacity_over6" +
  " || ':' || booked_under6 || ':' || booked_over6 || ':' || length(coalesce(closed_reason, '')) || ':' || coalesce(closed_reason, '')"

function dayReadOf(day: DayRow) {
  const reason = day.closedReason ?? ''
  return `${day.id}:${day.closed ? 1 : 0}:${day.roomCapacity}:${day.capacityUnder6}:${day.capacityOver6}:${day.bookedUnder6}:${day.bookedOver6}:${[...reason].length}:${reason}`
}

/** The days a page was made from, as the basis reads them (by id). */
export function daysReadOf(days: Iterable<DayRow>) {
  return [...days]
    .sort((a, b) => a.id - b.id)
    .map(dayReadOf)
    .join(';')
}

function orderedList(expression: string, order: string) {
  return db.connection().dialect.name === 'postgres'
    ? `string_agg(${expression}, ';' order by ${order})`
    : `group_concat(${expression}, ';' order by ${order})`
}

const COUNTS = () =>
  `(select ${orderedList("scope || '=' || total", 'scope')} from ` +
  `(select scope, sum(n) as total from ${PAGE_CHANGES_TABLE} where scope in (?) group by scope) counts) as changes`

const countScopes = (familyId: number) => listOf([familyScope(familyId), CATALOGUE_SCOPE])

/** The counts of writes to what the family's planning shows: read before a page that will be kept. */
export async function readPlanningCounts(familyId: number): Promise<string> {
  const [row] = await directRead<{ changes: string | null }>(`select ${COUNTS()}`, [countScopes(familyId)])
  return row.changes ?? ''
}

/** The basis of a page of `shape` from its parts: the shape, the counts, the days, the layout. */
export async function planningBasis(ctx: HttpContext, shape: PlanningPageShape, counts: string, days: string) {
  const layout = await planningPageCache.layoutBasis(ctx)
  return `${shape.familyId}|${shape.activityIds.join(',')}|${shape.start}|${shape.end}\n${counts}\n${days}\n${layout}`
}

/**
 * What a kept planning page of `shape` was made of, read now in one statement — the counts of
 * writes and the days' places — then the layout's user and commune.
 */
export async function readPlanningBasis(ctx: HttpContext, shape: PlanningPageShape): Promise<string> {
  const [row] = await directRead<{ changes: string | null; days: string | null }>(
    `select ${COUNTS()}, (select ${orderedList(DAY_READ, 'id')} from activity_days where activity_id in (?) and day between ? and ?) as days`,
    [countScopes(shape.familyId), listOf(shape.activityIds), shape.start, shape.end]
  )
  return planningBasis(ctx, shape, row.changes ?? '', row.days ?? '')
}

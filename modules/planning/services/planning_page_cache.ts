import type { HttpContext } from '@adonisjs/core/http'
import { FamilyPageCache } from '#core/family_page_cache'
import { CATALOGUE_SCOPE, familyScope } from '#core/page_change_triggers'
import { readPageChanges } from '#core/page_changes'
import { activityDaysRead, readActivityDays } from '#modules/planning/services/planning_period_data'

/** What a kept planning page shows of the days: read again to check it. */
export interface PlanningPageShape {
  activityIds: number[]
  start: string
  end: string
}

/**
 * The planning pages (month, week, summary) a family asks for again, kept while what they show
 * reads the same (#core/family_page_cache): the family's and the catalogue's counts of writes,
 * the activity days' rows (the places left change with every other family's booking), the
 * layout's user and commune, and the clock.
 */
export const planningPageCache = new FamilyPageCache<PlanningPageShape>()

/** The counts of the writes to what the family's planning shows: read before its data. */
export function planningChanges(familyId: number) {
  return readPageChanges([familyScope(familyId), CATALOGUE_SCOPE])
}

export function planningBasis(changes: string, daysRead: string, layout: string) {
  return `${changes}\n${daysRead}\n${layout}`
}

/** The page kept for this request, when what it was made of reads the same now; else null. */
export async function keptPlanningPage(ctx: HttpContext, key: string, familyId: number): Promise<{ html: string | null; changes: string | null }> {
  const shape = planningPageCache.shapeOf(key)
  if (!shape) return { html: null, changes: null }
  const [changes, days, layout] = await Promise.all([
    planningChanges(familyId),
    readActivityDays(shape.activityIds, shape.start, shape.end),
    planningPageCache.layoutBasis(ctx),
  ])
  return { html: planningPageCache.serve(ctx, key, planningBasis(changes, activityDaysRead(days), layout)), changes }
}

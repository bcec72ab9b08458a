import moduleRegistry from '#core/module_registry'
import ActivityDay from '#modules/planning/models/activity_day'
import type { BasketDiff } from '#modules/planning/services/basket_service'
import type { PlanningRow } from '#modules/planning/services/planning_view_service'
import type { BasketChanges, BasketPriceLine } from '#modules/planning/hooks'

export interface BasketCostLine extends BasketPriceLine {
  childFirstName: string
  activityName: string
}

export interface BasketCost {
  bookings: BasketCostLine[]
  cancellations: BasketCostLine[]
  totalCents: number
  /** « Cantine (Lya) »: changes the tariff does not price, left out of the total. */
  unpriced: string[]
}

/**
 * What the basket will cost, asked of the module that knows the family's tariff
 * ('planning.basket-prices', billing): null when no module answers (billing off) or nothing
 * changes. Only the rows the page shows (the family's registrations) are priced; the days are
 * read in one query and priced in one question, whatever their number.
 */
export async function basketCost(familyId: number, diff: BasketDiff, rows: PlanningRow[]): Promise<BasketCost | null> {
  const ask = moduleRegistry.hook('planning.basket-prices')
  if (!ask || diff.toBook.length + diff.toCancel.length === 0) return null
  const names = new Map(rows.map((row) => [`${row.childId}|${row.activityId}`, { child: row.childFirstName, activity: row.activityName }]))
  const dayIds = [...new Set([...diff.toBook, ...diff.toCancel].map((pair) => pair.dayId))]
  const days = new Map<number, { activityId: number; day: string }>()
  for (let i = 0; i < dayIds.length; i += 500) {
    for (const day of await ActivityDay.query().whereIn('id', dayIds.slice(i, i + 500)).select('id', 'activity_id', 'day')) {
      days.set(day.id, { activityId: day.activityId, day: day.day })
    }
  }
  const changes = new Map<string, BasketChanges>()
  const collect = (pairs: BasketDiff['toBook'], kind: 'bookings' | 'cancellations') => {
    for (const { childId, dayId } of pairs) {
      const day = days.get(dayId)
      if (!day || !names.has(`${childId}|${day.activityId}`)) continue
      const key = `${childId}|${day.activityId}`
      const change = changes.get(key) ?? { childId, activityId: day.activityId, bookings: [], cancellations: [] }
      change[kind].push(day.day)
      changes.set(key, change)
    }
  }
  collect(diff.toBook, 'bookings')
  collect(diff.toCancel, 'cancellations')
  if (!changes.size) return null

  const prices = await ask(familyId, [...changes.values()])
  const named = prices.lines.map((line) => {
    const name = names.get(`${line.childId}|${line.activityId}`)!
    return { ...line, childFirstName: name.child, activityName: name.activity }
  })
  return {
    bookings: named.filter((line) => line.kind === 'booking'),
    cancellations: named.filter((line) => line.kind === 'cancellation'),
    totalCents: prices.totalCents,
    unpriced: prices.unpriced.map(({ childId, activityId }) => {
      const name = names.get(`${childId}|${activityId}`)!
      return `${name.activity} (${name.child})`
    }),
  }
}

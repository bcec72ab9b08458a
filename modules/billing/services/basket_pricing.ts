import type { BasketChanges, BasketPriceLine, BasketPrices } from '#modules/planning/index'
import tariffService from '#modules/billing/services/tariff_service'
import { planningSourceFor } from '#modules/billing/services/planning_source'
import { readHouseholds } from '#modules/billing/services/invoiced_households'
import { familySituation, siblingRanks } from '#modules/billing/services/invoice_lines'
import { priceFor, unitQuantity } from '#modules/billing/services/tariff_engine'
import type { BookedDay } from '#modules/billing/services/billing_source'
import { plural } from '#core/french'

const dayKey = (childId: number, activityId: number, day: string) => `${childId}|${activityId}|${day}`

interface MonthDays {
  /** The family's days of the month as booked now, and as they will be once the basket is applied. */
  before: BookedDay[]
  after: BookedDay[]
  late: Set<string>
}

/**
 * The family's days of each month the basket touches: the invoice's sibling ranks are those of
 * the children billed that month (a booked day is priced at the ranks after the change, a
 * cancelled one at the ranks it was billed at).
 */
async function monthsTouched(familyId: number, changes: BasketChanges[]): Promise<Map<string, MonthDays>> {
  const source = planningSourceFor({ familyId })
  const cancelled = new Set(changes.flatMap((change) => change.cancellations.map((day) => dayKey(change.childId, change.activityId, day))))
  const months = new Set(changes.flatMap((change) => [...change.bookings, ...change.cancellations].map((day) => day.slice(0, 7))))
  const result = new Map<string, MonthDays>()
  for (const month of months) {
    const booked = await source.bookedDays(month)
    const late = new Set(booked.filter((day) => day.late).map((day) => dayKey(day.childId, day.activityId, day.day)))
    const days = booked.filter((day) => !cancelled.has(dayKey(day.childId, day.activityId, day.day)))
    for (const change of changes) {
      for (const day of change.bookings.filter((item) => item.startsWith(month + '-'))) {
        days.push({ familyId, childId: change.childId, activityId: change.activityId, day, attendance: 'unknown', late: false })
      }
    }
    result.set(month, { before: booked, after: days, late })
  }
  return result
}

/**
 * A basket's cost with the family's own tariff, day by day as its invoice will price them (the
 * tariff in force that day, quotient, residence, regime, sibling rank), grouped by child,
 * activity and unit price. A cancelled day booked late also takes its late surcharge off. The
 * queries do not depend on the number of days: the family, the tariffs, one read per month.
 */
export default async function priceBasket(familyId: number, changes: BasketChanges[]): Promise<BasketPrices> {
  const prices: BasketPrices = { lines: [], totalCents: 0, unpriced: [] }
  if (!changes.some((change) => change.bookings.length || change.cancellations.length)) return prices
  const household = (await readHouseholds([familyId])).get(familyId)
  if (!household) return prices
  const childById = new Map(household.children.map((child) => [child.id, child]))
  const tariffs = await tariffService.book(changes.map((change) => change.activityId))
  const months = await monthsTouched(familyId, changes)
  const ranks = new Map<string, Map<number, number>>()
  const rankOf = (kind: BasketPriceLine['kind'], day: string, childId: number) => {
    const key = `${day.slice(0, 7)}|${kind}`
    if (!ranks.has(key)) {
      const month = months.get(day.slice(0, 7))!
      ranks.set(key, siblingRanks(kind === 'booking' ? month.after : month.before, childById))
    }
    return ranks.get(key)!.get(childId) ?? 1
  }

  const lines = new Map<string, BasketPriceLine>()
  const add = (change: BasketChanges, kind: BasketPriceLine['kind'], unitPriceCents: number, words: (quantity: number) => string) => {
    const key = `${change.childId}|${change.activityId}|${kind}|${unitPriceCents}|${words(1)}`
    const line = lines.get(key) ?? { childId: change.childId, activityId: change.activityId, kind, quantity: 0, quantityText: '', unitPriceCents, totalCents: 0 }
    line.quantity++
    line.quantityText = words(line.quantity)
    line.totalCents = line.quantity * unitPriceCents
    lines.set(key, line)
  }

  for (const change of changes) {
    if (!childById.has(change.childId)) continue
    const days = [...change.bookings.map((day) => ({ day, kind: 'booking' as const })), ...change.cancellations.map((day) => ({ day, kind: 'cancellation' as const }))]
    for (const { day, kind } of days) {
      const rule = tariffs.on(change.activityId, day)?.rule
      if (!rule) {
        if (!prices.unpriced.some((item) => item.childId === change.childId && item.activityId === change.activityId)) {
          prices.unpriced.push({ childId: change.childId, activityId: change.activityId })
        }
        continue
      }
      const price = priceFor(rule, familySituation(household.facts, rankOf(kind, day, change.childId)))
      add(change, kind, price.unitCents, (quantity) => unitQuantity(rule.unit, quantity))
      if (kind === 'cancellation' && price.lateSurchargeCents > 0 && months.get(day.slice(0, 7))!.late.has(dayKey(change.childId, change.activityId, day))) {
        add(change, kind, price.lateSurchargeCents, (quantity) => plural(quantity, 'majoration hors délai', 'majorations hors délai'))
      }
    }
  }
  prices.lines = [...lines.values()].filter((line) => !prices.unpriced.some((item) => item.childId === line.childId && item.activityId === line.activityId))
  prices.totalCents = prices.lines.reduce((sum, line) => sum + (line.kind === 'booking' ? line.totalCents : -line.totalCents), 0)
  return prices
}

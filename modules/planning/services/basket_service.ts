import router from '@adonisjs/core/services/router'
import { historyService } from '#modules/dossier/index'
import { directRead, listOf } from '#core/direct_sql'
import bookingService from '#modules/planning/services/booking_service'
import { basketHistoryText, type Actor, type ChangedDay, type Outcome } from '#modules/planning/services/booking_outcome'
import { bookBasket } from '#modules/planning/services/basket_booking'

export interface BasketLine {
  kind: 'booking' | 'cancellation'
  childId: number
  dayId: number
  ok: boolean
  message: string
  waitlistOffered: boolean
}

export interface BasketDiff {
  toBook: { childId: number; dayId: number }[]
  toCancel: { childId: number; dayId: number }[]
}

export const MAX_CHANGES = 400

/** "<child id>-<day id>" values (checked by basketValidator), each once. */
function parsePairs(values: string[]): { childId: number; dayId: number; key: string }[] {
  const pairs = new Map<string, { childId: number; dayId: number; key: string }>()
  for (const key of values) {
    const [childId, dayId] = key.split('-').map(Number)
    pairs.set(key, { childId, dayId, key })
  }
  return [...pairs.values()]
}

/**
 * The basket: the form sends every enabled checkbox it showed (`shown`) and the ticked ones
 * (`selected`); the diff with the family's current bookings gives the bookings and the
 * cancellations to apply. Each cancellation is applied in its own transaction (it may promote
 * the waiting list); the bookings together in one (basket_booking). Every day is reported,
 * accepted or refused with its reason: nothing is half-applied silently.
 */
class BasketService {
  async diff(familyId: number, shown: string[], selected: string[]): Promise<BasketDiff> {
    const shownPairs = parsePairs(shown)
    const selectedPairs = parsePairs(selected)
    const all = new Map([...shownPairs, ...selectedPairs].map((pair) => [pair.key, pair]))
    const dayIds = [...new Set([...all.values()].map((pair) => pair.dayId))]
    const booked = new Set<string>()
    const rows = dayIds.length
      ? await directRead<{ child_id: number; activity_day_id: number }>(
          'select child_id, activity_day_id from planning_bookings where family_id = ? and activity_day_id in (?)',
          [familyId, listOf(dayIds)]
        )
      : []
    for (const row of rows) booked.add(`${row.child_id}-${row.activity_day_id}`)
    const selectedKeys = new Set(selectedPairs.map((pair) => pair.key))
    return {
      toBook: selectedPairs.filter((pair) => !booked.has(pair.key)).map(({ childId, dayId }) => ({ childId, dayId })),
      toCancel: shownPairs
        .filter((pair) => !selectedKeys.has(pair.key) && booked.has(pair.key))
        .map(({ childId, dayId }) => ({ childId, dayId })),
    }
  }

  async apply(familyId: number, actor: Actor, diff: BasketDiff): Promise<BasketLine[]> {
    const lines: BasketLine[] = []
    const line = (kind: BasketLine['kind'], childId: number, dayId: number, outcome: Outcome): BasketLine => ({
      kind,
      childId,
      dayId,
      ok: outcome.ok,
      message: outcome.message,
      waitlistOffered: !outcome.ok && Boolean(outcome.waitlistOffered),
    })
    const cancelled: ChangedDay[] = []
    for (const { childId, dayId } of diff.toCancel.slice(0, MAX_CHANGES)) {
      const outcome = await bookingService.cancel(familyId, childId, dayId, { as: 'parent', actor, historyLine: false })
      if (outcome.ok && outcome.changed) cancelled.push(outcome.changed)
      lines.push(line('cancellation', childId, dayId, outcome))
    }
    // One history line for the basket's cancellations (each was applied in its own transaction).
    if (cancelled.length) {
      await historyService.record(familyId, { module: 'planning', kind: 'cancellation', text: basketHistoryText('Annulation', cancelled), link: router.makeUrl('planning.index') })
    }
    const toBook = diff.toBook.slice(0, MAX_CHANGES)
    const outcomes = await bookBasket(familyId, toBook, actor)
    for (const [index, { childId, dayId }] of toBook.entries()) lines.push(line('booking', childId, dayId, outcomes[index]))
    return lines
  }
}

const basketService = new BasketService()
export default basketService

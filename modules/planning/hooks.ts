/**
 * What planning asks of a module that knows prices, without depending on it (billing depends on
 * planning). An enabled module answers from its manifest's `hooks`; without an answer the basket
 * shows no cost.
 */

/** A basket's changes for one child on one activity: the days it books and those it cancels (ISO). */
export interface BasketChanges {
  childId: number
  activityId: number
  bookings: string[]
  cancellations: string[]
}

/** Units at one unit price (a tariff changing inside the period gives two lines). */
export interface BasketPriceLine {
  childId: number
  activityId: number
  kind: 'booking' | 'cancellation'
  quantity: number
  /** « 12 repas », « 1 journée »: the quantity in the words of the activity's tariff. */
  quantityText: string
  unitPriceCents: number
  /** quantity × unit price, positive: a cancellation's line is taken off. */
  totalCents: number
}

export interface BasketPrices {
  lines: BasketPriceLine[]
  /** What the bookings add less what the cancellations take off, in cents. */
  totalCents: number
  /** Changes without a tariff on one of their days: not counted. */
  unpriced: { childId: number; activityId: number }[]
}

declare module '#core/module_manifest' {
  interface ModuleHooks {
    /**
     * The cost of a basket for this family, priced as its invoice will be (its tariff, quotient,
     * sibling rank): one answer for the whole basket, asked once per basket. Answered by billing.
     */
    'planning.basket-prices': (familyId: number, changes: BasketChanges[]) => Promise<BasketPrices>
  }
}

export {}

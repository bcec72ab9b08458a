/** A refusal of billing, in French, shown as it is to staff. */
export class BillingError extends Error {}
export class MonthNotEndedError extends BillingError {}

/** Who acts: an agent, or a parent paying. */
export interface Actor {
  id: number
  fullName: string
}

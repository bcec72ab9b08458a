/**
 * Parts of the family quotient (CAF rules). Sources disagree on details (a single parent is
 * counted 2 parts here, as the CAF does for a single parent with children): a commune adjusts
 * this table, not the code. Values are in parts; halves are allowed.
 */
export interface PartsTable {
  /** Parts of the parents: a couple, a single parent. */
  couple: number
  singleParent: number
  /** Parts added for the 1st, 2nd, 3rd child... in order; beyond the list, `furtherChild`. */
  children: number[]
  furtherChild: number
  /** Added for each child with a disability (the nature is never asked). */
  disabledChild: number
}

const parts: PartsTable = {
  couple: 2,
  singleParent: 2,
  children: [0.5, 0.5, 1],
  furtherChild: 0.5,
  disabledChild: 0.5,
}

export default parts

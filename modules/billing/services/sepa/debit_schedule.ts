import { DateTime } from 'luxon'

/** The family must be told of a debit at least this many days before it (pre-notification). */
export const PRE_NOTIFICATION_DAYS = 14

/**
 * The day an invoice issued on `issuedOn` is debited: the commune's debit day (1 to 28) of the
 * first month where it falls at least 14 days after the issue.
 */
export function debitDateFor(issuedOn: string, debitDay: number): string {
  const issued = DateTime.fromISO(issuedOn)
  const earliest = issued.plus({ days: PRE_NOTIFICATION_DAYS })
  let candidate = issued.set({ day: debitDay })
  while (candidate < earliest) candidate = candidate.plus({ months: 1 }).set({ day: debitDay })
  return candidate.toISODate()!
}

import { DateTime } from 'luxon'
import { todayInParis } from '#modules/billing/services/tariff_service'

/** The billed month: its French name, when it can be billed, when its invoices fall due. */
export function monthLabel(month: string) {
  return DateTime.fromISO(`${month}-01`).setLocale('fr').toFormat('LLLL yyyy')
}

/** A month ends after its last day (Europe/Paris): it can be billed from the 1st of the next one. */
export function firstBillingDay(month: string) {
  return DateTime.fromISO(`${month}-01`, { zone: 'Europe/Paris' }).plus({ months: 1 }).toISODate()!
}

/** Why a month cannot be billed yet, or null once it has ended. */
export function monthNotEnded(month: string, today: string = todayInParis()): string | null {
  const first = firstBillingDay(month)
  if (today >= first) return null
  return `Le mois de ${monthLabel(month)} n’est pas terminé : ses factures pourront être émises à partir du 1er ${monthLabel(first.slice(0, 7))}.`
}

/** Due at the end of the month following the billed one. */
export function dueDateFor(month: string) {
  return DateTime.fromISO(`${month}-01`).plus({ months: 1 }).endOf('month').toISODate()!
}

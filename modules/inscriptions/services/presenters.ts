import { formatDate, formatMoney } from '#core/format'
import type Activity from '#modules/inscriptions/models/activity'
import type Registration from '#modules/inscriptions/models/registration'

/** "Accueil du matin du 01/09/2026 au 07/07/2027" */
export function activityLabel(activity: Activity) {
  return `${activity.name} du ${formatDate(activity.startsOn)} au ${formatDate(activity.endsOn)}`
}

/** "8,00 € (frais d'inscription)", "4,50 € par repas", or null. */
export function amountLabel(activity: Activity) {
  if (activity.feeCents > 0) return `${formatMoney(activity.feeCents)} (frais d'inscription)`
  if (activity.displayedAmountCents !== null) return `${formatMoney(activity.displayedAmountCents)} par ${activity.unitLabel}`
  return null
}

export const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']

export function weekdaysLabel(weekdays: number[]) {
  return weekdays
    .slice()
    .sort()
    .map((day) => WEEKDAY_NAMES[day - 1])
    .filter(Boolean)
    .join(', ')
}

/** The registration's days in words ("à partir du 02/12/2026", "du 02/12/2026 au 18/12/2026"). */
export function periodLabel(registration: Registration, activity: Activity) {
  const end = registration.endDate ?? activity.endsOn
  return `du ${formatDate(registration.startDate)} au ${formatDate(end)}`
}

import { DateTime } from 'luxon'
import { formatDate } from '#core/format'
import { PARIS } from '#modules/planning/services/deadline_rules'

export type PeriodView = 'mois' | 'quinzaine' | 'semaine' | 'recapitulatif'
export const PERIOD_VIEWS: { key: PeriodView; label: string }[] = [
  { key: 'mois', label: 'MENSUEL' },
  { key: 'quinzaine', label: 'QUINZAINE' },
  { key: 'semaine', label: 'SEMAINE' },
  { key: 'recapitulatif', label: 'RÉCAPITULATIF' },
]

/** The days a view shows around a date (today when the date is not one), and where its arrows lead. */
export function periodOf(view: PeriodView, anchor: string): { start: DateTime; end: DateTime; previous: DateTime; next: DateTime } {
  let date = DateTime.fromISO(anchor, { zone: 'utc' })
  if (!date.isValid) date = DateTime.now().setZone(PARIS).startOf('day').setZone('utc', { keepLocalTime: true })
  if (view === 'semaine' || view === 'quinzaine') {
    const start = date.minus({ days: date.weekday - 1 })
    const length = view === 'semaine' ? 7 : 14
    return { start, end: start.plus({ days: length - 1 }), previous: start.minus({ days: length }), next: start.plus({ days: length }) }
  }
  const start = date.startOf('month')
  return { start, end: start.endOf('month').startOf('day'), previous: start.minus({ months: 1 }), next: start.plus({ months: 1 }) }
}

/** "Septembre 2026" for a month's views, "du 07/09/2026 au 13/09/2026" for the others. */
export function periodTitle(view: PeriodView, start: DateTime, end: DateTime): string {
  if (view === 'mois' || view === 'recapitulatif') {
    const monthTitle = start.setLocale('fr').toFormat('LLLL yyyy')
    return monthTitle.charAt(0).toUpperCase() + monthTitle.slice(1)
  }
  return `du ${formatDate(start.toISODate()!)} au ${formatDate(end.toISODate()!)}`
}

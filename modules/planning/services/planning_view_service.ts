import { DateTime } from 'luxon'
import { custodyService } from '#modules/dossier/index'
import { registrationQueryService } from '#modules/inscriptions/index'
import { periodOf, periodTitle, weekdayOf, type PeriodView } from '#modules/planning/services/planning_period'
import { readPlanningPeriod } from '#modules/planning/services/planning_period_data'
import { planningCell, type Cell } from '#modules/planning/services/planning_cells'
import { formatDate } from '#core/format'
import { addDays, parisDayOf } from '#core/calendar_day'
import { deadlineMillis, parisMidnightMillis } from '#modules/planning/services/deadline_rules'
import type { ActivityRules } from '#modules/planning/services/settings_service'
import { applyCustodyWeeks, sharedRegistrations } from '#modules/planning/services/custody_cells'
import { daysReadOf } from '#modules/planning/services/planning_page_cache'

export interface PlanningRow {
  key: string
  childId: number
  childFirstName: string
  activityId: number
  activityName: string
  activityTypeName: string
  opensOn: string | null
  openingNote: string | null
  /** Under shared custody: which weeks this household books. */
  custodyNote?: string | null
  cells: Cell[]
  /** Leading empty cells so the first day falls under its weekday in the grid. */
  offset: number
  bookedCount: number
}

export interface PlanningPage {
  view: PeriodView
  start: string
  end: string
  title: string
  previous: string
  next: string
  today: string
  rows: PlanningRow[]
  children: { id: number; firstName: string; activities: string[] }[]
  activities: { id: number; name: string }[]
  by: 'famille' | 'activite'
  activityId: number | null
  hasRegistrations: boolean
  /** The activities whose days the rows show. */
  activityIds: number[]
  /** Epoch ms at which a cell would change by the clock alone: a deadline, the end of an absence's window, midnight. */
  validUntil: () => number
  /** The days the cells were made from, as a kept page's basis reads them (planning_page_cache). */
  daysRead: () => string
}

/** The first instant after `now` at which these rows' cells could read otherwise with the same data. */
function nextChangeByClock(rows: PlanningRow[], rules: Map<number, ActivityRules>, today: string, nowMs: number): number {
  let until = parisMidnightMillis(addDays(today, 1))
  const consider = (instant: number) => {
    if (instant > nowMs && instant < until) until = instant
  }
  for (const row of rows) {
    const activityRules = rules.get(row.activityId)!
    for (const cell of row.cells) {
      if (!cell.dayId) continue
      consider(deadlineMillis(activityRules.bookingDeadline, cell.date))
      consider(deadlineMillis(activityRules.cancelDeadline, cell.date))
      consider(parisMidnightMillis(addDays(cell.date, 3)))
    }
  }
  return until
}

/** Builds what the planning page shows for a family over a period. */
class PlanningViewService {
  async build(
    familyId: number,
    options: { view: PeriodView; date: string; by: 'famille' | 'activite'; activityId: number | null; now?: DateTime }
  ): Promise<PlanningPage> {
    const now = options.now ?? DateTime.utc()
    const today = parisDayOf(now.toMillis())
    const { start: startIso, end: endIso, previous, next } = periodOf(options.view, options.date || today)

    const own = await registrationQueryService.bookableRegistrationsForFamily(familyId)
    const custody = await custodyService.planningCustody(familyId, [...new Set(own.map((registration) => registration.childId))])
    const registrations = [...own, ...(await sharedRegistrations(custody))]
    const activities = new Map<number, { id: number; name: string }>()
    for (const registration of registrations) activities.set(registration.activityId, { id: registration.activityId, name: registration.activity.name })
    const childrenMap = new Map<number, { id: number; firstName: string; activities: string[] }>()
    for (const registration of registrations) {
      const entry = childrenMap.get(registration.childId) ?? { id: registration.childId, firstName: registration.child.firstName, activities: [] }
      entry.activities.push(registration.activity.name)
      childrenMap.set(registration.childId, entry)
    }
    const shown = options.by === 'activite' && options.activityId ? registrations.filter((r) => r.activityId === options.activityId) : registrations
    const activityIds = [...new Set(shown.map((r) => r.activityId))]
    const childIds = [...new Set(shown.map((r) => r.childId))]
    const period = await readPlanningPeriod(familyId, { activityIds, childIds, startIso, endIso })

    const rows: PlanningRow[] = shown.map((registration) => {
      const activityRules = period.rules.get(registration.activityId)!
      const child = registration.child
      const cells = period.dates.map((date) => planningCell(date, today, now, registration, activityRules, period))
      const notOpen = activityRules.bookingOpensOn && today < activityRules.bookingOpensOn
      return {
        key: `${registration.childId}-${registration.activityId}`,
        childId: registration.childId,
        childFirstName: child.firstName,
        activityId: registration.activityId,
        activityName: registration.activity.name,
        activityTypeName: registration.activity.typeName,
        opensOn: activityRules.bookingOpensOn,
        openingNote: notOpen ? `Cette activité est ouverte à partir du ${formatDate(activityRules.bookingOpensOn)}` : null,
        cells,
        offset: weekdayOf(startIso) - 1,
        bookedCount: cells.filter((cell) => cell.state === 'booked' || cell.state === 'booked_locked').length,
      }
    })

    applyCustodyWeeks(familyId, custody, rows)

    return {
      view: options.view,
      start: startIso,
      end: endIso,
      title: periodTitle(options.view, startIso, endIso),
      previous,
      next,
      today,
      rows,
      children: [...childrenMap.values()],
      activities: [...activities.values()],
      by: options.by,
      activityId: options.activityId,
      hasRegistrations: registrations.length > 0,
      activityIds,
      validUntil: () => nextChangeByClock(rows, period.rules, today, now.toMillis()),
      daysRead: () => daysReadOf(period.dayIndex.values()),
    }
  }
}

const planningViewService = new PlanningViewService()
export default planningViewService

import { DateTime } from 'luxon'
import { registrationQueryService, type BookableRegistration } from '#modules/inscriptions/index'
import db from '@adonisjs/lucid/services/db'
import { ageGroupOn, placesLeftOf, type DayCounters } from '#modules/planning/models/activity_day'
import type { Attendance } from '#modules/planning/models/booking'
import settingsService, { type ActivityRules } from '#modules/planning/services/settings_service'
import { isBeforeDeadline, PARIS, parisMidnightMillis } from '#modules/planning/services/deadline_rules'
import { publicHolidayMap } from '#modules/planning/services/public_holidays'
import { addDays, calendarDays, type CalendarDay, type Holiday } from '#modules/planning/services/calendar_days'
import { formatDate } from '#core/format'

export type PeriodView = 'mois' | 'quinzaine' | 'semaine' | 'recapitulatif'
export const PERIOD_VIEWS: { key: PeriodView; label: string }[] = [
  { key: 'mois', label: 'MENSUEL' },
  { key: 'quinzaine', label: 'QUINZAINE' },
  { key: 'semaine', label: 'SEMAINE' },
  { key: 'recapitulatif', label: 'RÉCAPITULATIF' },
]

export type CellState =
  | 'booked'
  | 'booked_locked'
  | 'bookable'
  | 'full'
  | 'waiting'
  | 'closed'
  | 'deadline'
  | 'not_open'
  | 'not_registered'
  | 'holiday'
  | 'none'

/** The legend, in text: every state a day can show. */
export const STATE_LABELS: Record<CellState, { short: string; long: string }> = {
  booked: { short: 'Réservé', long: 'Réservé (décochez pour annuler)' },
  booked_locked: { short: 'Réservé', long: "Réservé, délai d'annulation passé (absence à déclarer)" },
  bookable: { short: 'Libre', long: 'Réservable (cochez pour réserver)' },
  full: { short: 'Complet', long: "Complet : liste d'attente possible" },
  waiting: { short: 'Attente', long: "En liste d'attente" },
  closed: { short: 'Fermé', long: 'Fermé (fermeture ou jour férié)' },
  deadline: { short: 'Délai passé', long: 'Délai de réservation dépassé' },
  not_open: { short: 'Pas encore ouvert', long: 'Réservations pas encore ouvertes' },
  not_registered: { short: 'Non inscrit', long: 'Hors de la période d’inscription' },
  holiday: { short: 'Férié', long: 'Jour férié' },
  none: { short: '', long: "Pas d'activité ce jour" },
}

export interface Cell {
  date: string
  dayNumber: number
  weekday: number
  weekdayShort: string
  longLabel: string
  isToday: boolean
  schoolHoliday: string | null
  publicHoliday: string | null
  state: CellState
  stateText: string
  dayId: number | null
  bookingId: number | null
  /** A real checkbox: enabled ones are part of the form's diff. */
  checkbox: { value: string; checked: boolean; disabled: boolean } | null
  note: string | null
  canDeclareAbsence: boolean
  canJoinWaitlist: boolean
  canLeaveWaitlist: boolean
}

export interface PlanningRow {
  key: string
  childId: number
  childFirstName: string
  activityId: number
  activityName: string
  activityTypeName: string
  opensOn: string | null
  openingNote: string | null
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
}

const WEEKDAYS_SHORT = ['', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.']

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

type DayRow = DayCounters & { id: number; activityId: number; day: string; closed: boolean; closedReason: string | null }
type ClosureRow = { date: string; activityId: number | null; reason: string }

function registeredOn(registration: BookableRegistration, iso: string): boolean {
  const activity = registration.activity
  if (iso < registration.startDate || iso < activity.startsOn || iso > activity.endsOn) return false
  if (registration.endDate && iso > registration.endDate) return false
  return registration.state === 'validated' || Boolean(registration.endDate)
}

/** Builds what the planning page shows for a family over a period. */
class PlanningViewService {
  async build(
    familyId: number,
    options: { view: PeriodView; date: string; by: 'famille' | 'activite'; activityId: number | null; now?: DateTime }
  ): Promise<PlanningPage> {
    const now = options.now ?? DateTime.utc()
    const today = now.setZone(PARIS).toISODate()!
    const { start, end, previous, next } = periodOf(options.view, options.date || today)
    const startIso = start.toISODate()!
    const endIso = end.toISODate()!

    const registrations = await registrationQueryService.bookableRegistrationsForFamily(familyId)
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

    // plain rows: a month of days for several rows would cost more to hydrate as models than to read
    const [dayRows, bookingRows, waitingRows, rules, holidayRows, closureRows] = await Promise.all([
      activityIds.length
        ? db
            .from('activity_days')
            .whereIn('activity_id', activityIds)
            .whereBetween('day', [startIso, endIso])
            .select('id', 'activity_id', 'day', 'closed', 'closed_reason', 'room_capacity', 'capacity_under6', 'capacity_over6', 'booked_under6', 'booked_over6')
        : Promise.resolve([]),
      childIds.length
        ? db.from('planning_bookings').where('family_id', familyId).whereBetween('day', [startIso, endIso]).select('id', 'child_id', 'activity_day_id', 'attendance')
        : Promise.resolve([]),
      childIds.length
        ? db.from('planning_waitlist_entries').where('family_id', familyId).whereBetween('day', [startIso, endIso]).select('child_id', 'activity_day_id')
        : Promise.resolve([]),
      settingsService.rulesForMany(activityIds),
      db.from('planning_school_holidays').where('starts_on', '<=', endIso).where('ends_on', '>=', startIso).select('name', 'starts_on', 'ends_on'),
      db.from('planning_closures').whereBetween('date', [startIso, endIso]).select('date', 'activity_id', 'reason'),
    ])
    const days: DayRow[] = dayRows.map((row: any) => ({
      id: row.id,
      activityId: row.activity_id,
      day: row.day,
      closed: Boolean(row.closed),
      closedReason: row.closed_reason,
      roomCapacity: row.room_capacity,
      capacityUnder6: row.capacity_under6,
      capacityOver6: row.capacity_over6,
      bookedUnder6: row.booked_under6,
      bookedOver6: row.booked_over6,
    }))
    const bookings = bookingRows.map((row: any) => ({ id: row.id as number, childId: row.child_id, activityDayId: row.activity_day_id, attendance: row.attendance as Attendance | null }))
    const waiting = waitingRows.map((row: any) => ({ childId: row.child_id, activityDayId: row.activity_day_id }))
    const holidays: Holiday[] = holidayRows.map((row: any) => ({ name: row.name, startsOn: row.starts_on, endsOn: row.ends_on }))
    const closures: ClosureRow[] = closureRows.map((row: any) => ({ date: row.date, activityId: row.activity_id ?? null, reason: row.reason }))
    const dayIndex = new Map(days.map((day) => [`${day.activityId}:${day.day}`, day]))
    const bookingIndex = new Map(bookings.map((booking) => [`${booking.childId}:${booking.activityDayId}`, booking]))
    const waitingIndex = new Set(waiting.map((entry) => `${entry.childId}:${entry.activityDayId}`))
    const dates = calendarDays(startIso, endIso, holidays, publicHolidayMap(startIso, endIso))

    const rows: PlanningRow[] = shown.map((registration) => {
      const activityRules = rules.get(registration.activityId)!
      const child = registration.child
      const cells = dates.map((date) =>
        this.#cell(date, today, now, registration, activityRules, {
          day: dayIndex.get(`${registration.activityId}:${date.iso}`) ?? null,
          bookingIndex,
          waitingIndex,
          closures,
          birthDate: child.birthDate,
        })
      )
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
        offset: start.weekday - 1,
        bookedCount: cells.filter((cell) => cell.state === 'booked' || cell.state === 'booked_locked').length,
      }
    })

    const monthTitle = start.setLocale('fr').toFormat('LLLL yyyy')
    const title =
      options.view === 'mois' || options.view === 'recapitulatif'
        ? monthTitle.charAt(0).toUpperCase() + monthTitle.slice(1)
        : `du ${formatDate(startIso)} au ${formatDate(endIso)}`

    return {
      view: options.view,
      start: startIso,
      end: endIso,
      title,
      previous: previous.toISODate()!,
      next: next.toISODate()!,
      today,
      rows,
      children: [...childrenMap.values()],
      activities: [...activities.values()],
      by: options.by,
      activityId: options.activityId,
      hasRegistrations: registrations.length > 0,
    }
  }

  #cell(
    date: CalendarDay,
    today: string,
    now: DateTime,
    registration: BookableRegistration,
    rules: ActivityRules,
    data: {
      day: DayRow | null
      bookingIndex: Map<string, { id: number; attendance: Attendance | null }>
      waitingIndex: Set<string>
      closures: ClosureRow[]
      birthDate: string
    }
  ): Cell {
    const iso = date.iso
    const child = registration.child
    const publicHoliday = date.publicHoliday
    const cell: Cell = {
      date: iso,
      dayNumber: date.dayNumber,
      weekday: date.weekday,
      weekdayShort: WEEKDAYS_SHORT[date.weekday],
      longLabel: `${child.firstName}, ${registration.activity.name}, ${date.longDate}`,
      isToday: iso === today,
      schoolHoliday: date.schoolHoliday,
      publicHoliday,
      state: 'none',
      stateText: '',
      dayId: null,
      bookingId: null,
      checkbox: null,
      note: null,
      canDeclareAbsence: false,
      canJoinWaitlist: false,
      canLeaveWaitlist: false,
    }
    const set = (state: CellState) => {
      cell.state = state
      cell.stateText = STATE_LABELS[state].short
    }
    const day = data.day
    if (!day) {
      const closure = data.closures.find((c) => c.date === iso && (c.activityId === null || c.activityId === registration.activityId))
      if (publicHoliday) set('holiday')
      else if (closure) {
        set('closed')
        cell.note = closure.reason
      }
      return cell
    }
    cell.dayId = day.id
    const value = `${child.id}-${day.id}`
    const booking = data.bookingIndex.get(value.replace('-', ':')) ?? null
    if (booking) {
      cell.bookingId = booking.id
      const canCancel = isBeforeDeadline(rules.cancelDeadline, iso, now)
      set(canCancel ? 'booked' : 'booked_locked')
      cell.checkbox = { value, checked: true, disabled: !canCancel }
      if (!canCancel) {
        cell.note = booking.attendance === 'justified' ? 'Absence justifiée' : booking.attendance === 'absent' ? 'Absent' : null
        cell.canDeclareAbsence = !booking.attendance || booking.attendance === 'absent' ? now.toMillis() < parisMidnightMillis(addDays(iso, 3)) : false
      }
      return cell
    }
    if (!registeredOn(registration, iso)) return set('not_registered'), cell
    if (day.closed) {
      set('closed')
      cell.note = day.closedReason
      return cell
    }
    if (rules.bookingOpensOn && today < rules.bookingOpensOn) {
      set('not_open')
      cell.note = `Ouverture le ${formatDate(rules.bookingOpensOn)}`
      return cell
    }
    if (!isBeforeDeadline(rules.bookingDeadline, iso, now)) return set('deadline'), cell
    if (data.waitingIndex.has(`${child.id}:${day.id}`)) {
      set('waiting')
      cell.canLeaveWaitlist = true
      return cell
    }
    if (placesLeftOf(day, ageGroupOn(data.birthDate, iso)) === 0) {
      set('full')
      cell.canJoinWaitlist = true
      return cell
    }
    set('bookable')
    cell.checkbox = { value, checked: false, disabled: false }
    return cell
  }
}

const planningViewService = new PlanningViewService()
export default planningViewService

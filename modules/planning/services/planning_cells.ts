import type { DateTime } from 'luxon'
import type { BookableRegistration } from '#modules/inscriptions/index'
import { ageGroupOn, placesLeftOf } from '#modules/planning/models/activity_day'
import type { ActivityRules } from '#modules/planning/services/settings_service'
import { isBeforeDeadline, parisMidnightMillis } from '#modules/planning/services/deadline_rules'
import type { CalendarDay } from '#modules/planning/services/calendar_days'
import type { PlanningPeriodData } from '#modules/planning/services/planning_period_data'
import { formatDate } from '#core/format'
import { addDays } from '#core/calendar_day'

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
  | 'other_household'
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
  other_household: { short: 'Autre foyer', long: "Semaine de l'autre foyer (garde alternée) : c'est lui qui réserve" },
  none: { short: '', long: "Pas d'activité ce jour" },
}

export interface Cell {
  date: string
  dayNumber: number
  weekday: number
  weekdayShort: string
  longLabel: string
  /** What a screen reader says before the state, in one sentence: the day, « aujourd'hui », the school holiday. */
  spokenLabel: string
  isToday: boolean
  schoolHoliday: string | null
  publicHoliday: string | null
  state: CellState
  stateText: string
  /** On a bookable day: « 12 places », or « Dernières places » at LAST_PLACES or fewer. */
  placesText: string | null
  dayId: number | null
  bookingId: number | null
  /** A real checkbox: enabled ones are part of the form's diff. */
  checkbox: { value: string; checked: boolean; disabled: boolean } | null
  note: string | null
  canDeclareAbsence: boolean
  canJoinWaitlist: boolean
  canLeaveWaitlist: boolean
}

const WEEKDAYS_SHORT = ['', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.']

function registeredOn(registration: BookableRegistration, iso: string): boolean {
  const activity = registration.activity
  if (iso < registration.startDate || iso < activity.startsOn || iso > activity.endsOn) return false
  if (registration.endDate && iso > registration.endDate) return false
  return registration.state === 'validated' || Boolean(registration.endDate)
}

/**
 * What one child's registration shows on one date: the state in words, and what the parent may
 * do there (a checkbox to book or cancel, an absence to declare, a waiting list to join or leave).
 */
export function planningCell(
  date: CalendarDay,
  today: string,
  now: DateTime,
  registration: BookableRegistration,
  rules: ActivityRules,
  period: Pick<PlanningPeriodData, 'dayIndex' | 'bookingIndex' | 'waitingIndex' | 'closures'>
): Cell {
  const iso = date.iso
  const child = registration.child
  const publicHoliday = date.publicHoliday
  const longLabel = `${child.firstName}, ${registration.activity.name}, ${date.longDate}`
  const cell: Cell = {
    date: iso,
    dayNumber: date.dayNumber,
    weekday: date.weekday,
    weekdayShort: WEEKDAYS_SHORT[date.weekday],
    longLabel,
    spokenLabel: [longLabel, iso === today ? "aujourd'hui" : null, date.schoolHoliday].filter(Boolean).join(', '),
    isToday: iso === today,
    schoolHoliday: date.schoolHoliday,
    publicHoliday,
    state: 'none',
    stateText: '',
    placesText: null,
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
  const day = period.dayIndex.get(`${registration.activityId}:${iso}`) ?? null
  if (!day) {
    const closure = period.closures.find((c) => c.date === iso && (c.activityId === null || c.activityId === registration.activityId))
    if (publicHoliday) set('holiday')
    else if (closure) {
      set('closed')
      cell.note = closure.reason
    }
    return cell
  }
  cell.dayId = day.id
  const value = `${child.id}-${day.id}`
  const booking = period.bookingIndex.get(value.replace('-', ':')) ?? null
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
  if (period.waitingIndex.has(`${child.id}:${day.id}`)) {
    set('waiting')
    cell.canLeaveWaitlist = true
    return cell
  }
  const left = placesLeftOf(day, ageGroupOn(child.birthDate, iso))
  if (left === 0) {
    set('full')
    cell.canJoinWaitlist = true
    return cell
  }
  set('bookable')
  cell.checkbox = { value, checked: false, disabled: false }
  cell.placesText = placesText(left)
  return cell
}

/** At this many places left or fewer, a day says « Dernières places » rather than a number. */
export const LAST_PLACES = 3

export function placesText(left: number): string {
  return left <= LAST_PLACES ? 'Dernières places' : `${left} places`
}

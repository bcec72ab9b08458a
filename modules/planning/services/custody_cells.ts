import { weeksOf, type PlanningCustody } from '#modules/dossier/index'
import { registrationQueryService, type BookableRegistration } from '#modules/inscriptions/index'
import { STATE_LABELS, type Cell } from '#modules/planning/services/planning_cells'

/**
 * Shared custody on the planning: the registrations of the children another family shares with
 * this one (only those children, never the rest of that family), and the days of the other
 * household's weeks shown read-only with the reason in words.
 */
export async function sharedRegistrations(custody: PlanningCustody): Promise<BookableRegistration[]> {
  const childIdsByOwner = new Map<number, Set<number>>()
  for (const child of custody.shared) childIdsByOwner.set(child.familyId, (childIdsByOwner.get(child.familyId) ?? new Set()).add(child.childId))
  const registrations: BookableRegistration[] = []
  for (const [ownerId, childIds] of childIdsByOwner) {
    for (const registration of await registrationQueryService.bookableRegistrationsForFamily(ownerId)) {
      if (childIds.has(registration.childId)) registrations.push(registration)
    }
  }
  return registrations
}

/** The row's sentence under shared custody, or null; the other household's days become read-only cells. */
export function applyCustodyWeeks(familyId: number, custody: PlanningCustody, rows: { childId: number; cells: Cell[]; custodyNote?: string | null }[]) {
  for (const row of rows) {
    const child = custody.weeks.get(row.childId)
    if (!child?.arrangement) continue
    row.custodyNote = `Garde alternée : vous réservez ${weeksOf(child.arrangement, familyId)} ; les jours marqués « ${STATE_LABELS.other_household.short} » sont ceux des semaines de l'autre foyer, qui les réserve.`
    for (const cell of row.cells) {
      if (cell.bookingId || !cell.dayId || child.householdOn(cell.date) === familyId) continue
      if (['none', 'holiday', 'closed', 'not_registered'].includes(cell.state)) continue
      cell.state = 'other_household'
      cell.stateText = STATE_LABELS.other_household.short
      cell.note = STATE_LABELS.other_household.long
      cell.checkbox = null
      cell.placesText = null
      cell.canJoinWaitlist = false
      cell.canLeaveWaitlist = false
    }
  }
}

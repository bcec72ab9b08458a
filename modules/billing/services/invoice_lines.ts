/*
 * From a family's month (booked days, registration fees) and the tariffs in force, the lines of
 * its invoice: one per child, activity, unit and unit price, with quantity × unit price. Pure.
 */
import type { BookedDay, RegistrationFee } from '#modules/billing/services/billing_source'
import { priceFor, unitQuantity, type FamilySituation, type Regime, type TariffRule, type TariffUnit } from '#modules/billing/services/tariff_engine'
import { plural } from '#core/format'

export interface FamilyFacts {
  id: number
  familyQuotient: number | null
  resident: boolean
  regime: Regime
}

export interface ChildFacts {
  id: number
  firstName: string
  birthDate: string
}

export interface ComputedLine {
  kind: 'booking' | 'late' | 'registration'
  childId: number | null
  childName: string | null
  activityId: number
  activityName: string
  label: string
  unit: TariffUnit | null
  quantity: number
  unitPriceCents: number
  totalCents: number
}

export interface ComputedInvoice {
  lines: ComputedLine[]
  totalCents: number
  problems: string[]
}

export type TariffLookup = (activityId: number, day: string) => TariffRule | null

interface BookingGroup {
  childId: number
  activityId: number
  unit: TariffUnit
  unitCents: number
  quantity: number
  absences: number
  justified: number
}

interface LateGroup {
  childId: number
  activityId: number
  unitCents: number
  quantity: number
}

type ActivityName = (activityId: number) => string

/** What prices a family's day: its quotient, residence and regime, and the child's sibling rank that month. */
export function familySituation(family: FamilyFacts, siblingRank: number): FamilySituation {
  return { familyQuotient: family.familyQuotient, resident: family.resident, regime: family.regime, siblingRank }
}

/** Sibling rank among the children billed this month (a justified absence bills nothing), eldest first. */
export function siblingRanks(days: BookedDay[], childById: Map<number, ChildFacts>): Map<number, number> {
  const billedChildren = [...new Set(days.filter((day) => day.attendance !== 'justified').map((day) => day.childId))]
    .map((id) => childById.get(id))
    .filter((child): child is ChildFacts => Boolean(child))
    .sort((a, b) => a.birthDate.localeCompare(b.birthDate) || a.id - b.id)
  return new Map(billedChildren.map((child, index) => [child.id, index + 1]))
}

/**
 * The month's days priced and counted: by child, activity, unit and unit price; late
 * surcharges apart; justified absences counted but not billed. Days without a tariff or child
 * are problems (the family is then not invoiced).
 */
function tallyDays(
  days: BookedDay[],
  context: { family: FamilyFacts; childById: Map<number, ChildFacts>; activityNames: Map<number, string>; tariffOn: TariffLookup }
) {
  const { family, childById, activityNames, tariffOn } = context
  const rankOf = siblingRanks(days, childById)
  const problems: string[] = []
  const bookings = new Map<string, BookingGroup>()
  const late = new Map<string, LateGroup>()
  const justifiedOnly = new Map<string, number>()

  for (const day of days) {
    const activityName = activityNames.get(day.activityId)
    const tariff = tariffOn(day.activityId, day.day)
    if (!tariff) {
      problems.push(`Pas de tarif pour « ${activityName ?? `activité ${day.activityId}`} » au ${day.day}.`)
      continue
    }
    const child = childById.get(day.childId)
    if (!child) {
      problems.push(`Enfant ${day.childId} inconnu de la famille.`)
      continue
    }
    if (day.attendance === 'justified') {
      const key = `${day.childId}|${day.activityId}`
      justifiedOnly.set(key, (justifiedOnly.get(key) ?? 0) + 1)
      continue
    }
    const price = priceFor(tariff, familySituation(family, rankOf.get(day.childId) ?? 1))
    const key = `${day.childId}|${day.activityId}|${tariff.unit}|${price.unitCents}`
    const group = bookings.get(key) ?? {
      childId: day.childId,
      activityId: day.activityId,
      unit: tariff.unit,
      unitCents: price.unitCents,
      quantity: 0,
      absences: 0,
      justified: 0,
    }
    group.quantity += day.quantity ?? 1
    if (day.attendance === 'absent') group.absences++
    bookings.set(key, group)
    if (day.late && price.lateSurchargeCents > 0) {
      const lateKey = `${day.childId}|${day.activityId}|${price.lateSurchargeCents}`
      const item = late.get(lateKey) ?? { childId: day.childId, activityId: day.activityId, unitCents: price.lateSurchargeCents, quantity: 0 }
      item.quantity++
      late.set(lateKey, item)
    }
  }

  // Justified absences are not billed; say so on the child's first line of that activity.
  for (const [key, count] of justifiedOnly) {
    const group = [...bookings.values()].find((item) => `${item.childId}|${item.activityId}` === key)
    if (group) group.justified += count
  }
  return { bookings: [...bookings.values()], late: [...late.values()], problems }
}

function bookingLines(groups: BookingGroup[], childById: Map<number, ChildFacts>, name: ActivityName): ComputedLine[] {
  return groups.map((group) => {
    const child = childById.get(group.childId)!
    const notes: string[] = []
    if (group.absences) notes.push(`dont ${plural(group.absences, 'absence non justifiée', 'absences non justifiées')}`)
    if (group.justified) notes.push(`${plural(group.justified, 'absence justifiée non facturée', 'absences justifiées non facturées')}`)
    return {
      kind: 'booking',
      childId: child.id,
      childName: child.firstName,
      activityId: group.activityId,
      activityName: name(group.activityId),
      label: `${name(group.activityId)} — ${child.firstName} : ${unitQuantity(group.unit, group.quantity)}${notes.length ? ` (${notes.join(', ')})` : ''}`,
      unit: group.unit,
      quantity: group.quantity,
      unitPriceCents: group.unitCents,
      totalCents: group.quantity * group.unitCents,
    }
  })
}

function lateLines(groups: LateGroup[], childById: Map<number, ChildFacts>, name: ActivityName): ComputedLine[] {
  return groups.map((item) => {
    const child = childById.get(item.childId)!
    return {
      kind: 'late',
      childId: child.id,
      childName: child.firstName,
      activityId: item.activityId,
      activityName: name(item.activityId),
      label: `Majoration réservation hors délai — ${name(item.activityId)} — ${child.firstName} : ${plural(item.quantity, 'réservation')}`,
      unit: null,
      quantity: item.quantity,
      unitPriceCents: item.unitCents,
      totalCents: item.quantity * item.unitCents,
    }
  })
}

function registrationLines(fees: RegistrationFee[], childById: Map<number, ChildFacts>, name: ActivityName): ComputedLine[] {
  const lines: ComputedLine[] = []
  for (const fee of fees) {
    if (fee.feeCents <= 0) continue
    const child = childById.get(fee.childId)
    lines.push({
      kind: 'registration',
      childId: child?.id ?? null,
      childName: child?.firstName ?? null,
      activityId: fee.activityId,
      activityName: name(fee.activityId),
      label: `Frais d'inscription — ${name(fee.activityId)}${child ? ` — ${child.firstName}` : ''}`,
      unit: null,
      quantity: 1,
      unitPriceCents: fee.feeCents,
      totalCents: fee.feeCents,
    })
  }
  return lines
}

const KIND_ORDER = { booking: 0, late: 1, registration: 2 }

/** By child, activity, kind (days, surcharges, fees), the dearest price first. */
function inInvoiceOrder(lines: ComputedLine[]): ComputedLine[] {
  return lines.sort(
    (a, b) =>
      (a.childName ?? '').localeCompare(b.childName ?? '', 'fr') ||
      a.activityName.localeCompare(b.activityName, 'fr') ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      b.unitPriceCents - a.unitPriceCents
  )
}

export function computeInvoice(input: {
  family: FamilyFacts
  children: ChildFacts[]
  days: BookedDay[]
  fees: RegistrationFee[]
  activityNames: Map<number, string>
  tariffOn: TariffLookup
}): ComputedInvoice {
  const { activityNames } = input
  const childById = new Map(input.children.map((child) => [child.id, child]))
  const name: ActivityName = (id) => activityNames.get(id) ?? `Activité ${id}`
  const { bookings, late, problems } = tallyDays(input.days, { ...input, childById })
  const lines = inInvoiceOrder([
    ...bookingLines(bookings, childById, name),
    ...lateLines(late, childById, name),
    ...registrationLines(input.fees, childById, name),
  ])
  return { lines, totalCents: lines.reduce((sum, line) => sum + line.totalCents, 0), problems: [...new Set(problems)] }
}

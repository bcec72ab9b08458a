/* Test data for the billing suites (not a spec file). */
import { createUser } from '#tests/helpers/users'
import { Family, Guardian, Child } from '#modules/dossier/index'
import { ActivityType, Activity } from '#modules/inscriptions/index'
import Tariff from '#modules/billing/models/tariff'
import type { Bracket } from '#modules/billing/services/tariff_engine'

let sequence = 0
const next = () => `${Date.now().toString(36)}${++sequence}`

export const CANTEEN_GRID: Bracket[] = [
  { fromQf: 0, priceCents: 50 },
  { fromQf: 400, priceCents: 175 },
  { fromQf: 640, priceCents: 235 },
  { fromQf: 860, priceCents: 305 },
  { fromQf: 1150, priceCents: 355 },
  { fromQf: 1500, priceCents: 405 },
  { fromQf: 1700, priceCents: 460 },
  { fromQf: 1900, priceCents: 490 },
]

export async function createActivity(name: string, overrides: Partial<Activity> = {}) {
  const type = await ActivityType.firstOrCreate({ name: 'Facturation (essais)' }, { name: 'Facturation (essais)', position: 1 })
  return Activity.create({
    activityTypeId: type.id,
    name,
    startsOn: '2026-09-01',
    endsOn: '2027-07-06',
    feeCents: 0,
    autoAccept: true,
    cancellationDeadlineDays: 0,
    requiredDocuments: [],
    weekdays: [1, 2, 4, 5],
    unitLabel: 'repas',
    ...overrides,
  } as any)
}

export async function canteenTariff(activityId: number, validFrom = '2026-01-01', overrides: Partial<Tariff> = {}) {
  return Tariff.create({
    activityId,
    validFrom,
    model: 'brackets',
    unit: 'meal',
    brackets: CANTEEN_GRID,
    nonResidentCents: 650,
    lateSurchargeCents: 250,
    siblingReductions: {},
    regimeAdjustments: {},
    ...overrides,
  })
}

export async function linearTariff(activityId: number, validFrom = '2026-01-01', overrides: Partial<Tariff> = {}) {
  return Tariff.create({
    activityId,
    validFrom,
    model: 'linear',
    unit: 'day',
    rate: 3600,
    floorCents: 260,
    ceilingCents: 450,
    brackets: [],
    siblingReductions: {},
    regimeAdjustments: {},
    ...overrides,
  })
}

export async function createFamily(
  options: { quotient?: number | null; resident?: boolean; children?: { firstName: string; birthDate: string }[]; withParent?: boolean; lastName?: string } = {}
) {
  const suffix = next()
  const family = await Family.create({
    reference: `F${suffix}`,
    familyQuotient: options.quotient === undefined ? 1000 : options.quotient,
    regime: 'CAF',
    resident: options.resident ?? true,
    email: `famille-${suffix}@exemple.test`,
    address: '1 rue des Écoles',
    postalCode: '06670',
    city: 'Colomars',
  })
  const lastName = options.lastName ?? 'Martin'
  const parent = options.withParent === false ? null : await createUser('parent', { fullName: `Camille ${lastName}` })
  await Guardian.create({ familyId: family.id, lastName, firstName: 'Camille', email: parent?.email ?? null, userId: parent?.id ?? null, position: 1 })
  const children: Child[] = []
  for (const child of options.children ?? [{ firstName: 'Lya', birthDate: '2018-03-02' }]) {
    children.push(
      await Child.create({ familyId: family.id, reference: `E${next()}`, lastName, firstName: child.firstName, birthDate: child.birthDate, dietNeeds: [] })
    )
  }
  return { family, parent, children }
}

/** A family with an issued invoice for September 2026 (canteen at QF 1000: n × 3.05 €). */
export async function familyWithInvoice(meals = 4, options: { quotient?: number | null; lastName?: string } = {}) {
  const { default: invoiceService } = await import('#modules/billing/services/invoice_service')
  const { fixtureSource } = await import('#modules/billing/services/billing_source')
  const { default: Invoice } = await import('#modules/billing/models/invoice')
  const activity = await createActivity(`Cantine ${next()}`)
  await canteenTariff(activity.id)
  const created = await createFamily({ quotient: options.quotient ?? 1000, lastName: options.lastName })
  const days = Array.from({ length: meals }, (_, index) => ({
    familyId: created.family.id,
    childId: created.children[0].id,
    activityId: activity.id,
    day: `2026-09-${String(index + 1).padStart(2, '0')}`,
    attendance: 'present' as const,
    late: false,
  }))
  await invoiceService.generateMonth('2026-09', fixtureSource(days), { issuedOn: '2026-10-02' })
  const invoice = await Invoice.query().where('family_id', created.family.id).where('month', '2026-09').firstOrFail()
  return { ...created, invoice, activity }
}

/** Bookings written in planning's own tables, for the planning-backed run. */
export async function planningBookings(
  activityId: number,
  familyId: number,
  childId: number,
  days: { date: string; attendance?: 'present' | 'absent' | 'justified' | null; late?: boolean }[]
) {
  const { ActivityDay, Booking } = await import('#modules/planning/index')
  for (const entry of days) {
    const day =
      (await ActivityDay.query().where('activity_id', activityId).where('day', entry.date).first()) ??
      (await ActivityDay.create({ activityId, day: entry.date, roomCapacity: 50, capacityUnder6: 20, capacityOver6: 30, bookedUnder6: 0, bookedOver6: 0, closed: false }))
    day.bookedOver6 += 1
    await day.save()
    await Booking.create({
      activityDayId: day.id,
      activityId,
      childId,
      familyId,
      day: entry.date,
      ageGroup: 'over6',
      late: entry.late ?? false,
      forced: false,
      source: entry.late ? 'staff' : 'parent',
      attendance: entry.attendance ?? null,
    } as any)
  }
}

/** The PayFiP address on the hand-off page the portal shows after "PAYER". */
export function payfipLink(html: string): string {
  const match = /href="([^"]+)" data-payfip-link/.exec(html)
  if (!match) throw new Error('Pas de lien vers PayFiP dans la page')
  return match[1].replace(/&amp;/g, '&')
}

/**
 * Removes what a test group committed outside a global transaction (families with their
 * invoices and payments, their accounts, activities), so that later suites of the same
 * database start clean; the invoice counter goes back to the highest number left.
 */
export async function removeCommitted(created: { familyIds: number[]; userIds: number[]; activityIds: number[] }) {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { familyIds, userIds, activityIds } = created
  if (familyIds.length) {
    const invoiceIds = (await db.from('invoices').whereIn('family_id', familyIds).select('id')).map((row) => Number(row.id))
    await db.from('payments').whereIn('family_id', familyIds).delete()
    await db.from('overpayments').whereIn('family_id', familyIds).delete()
    await db.from('payment_operations').whereIn('family_id', familyIds).delete()
    await db.from('credit_notes').whereIn('family_id', familyIds).delete()
    if (invoiceIds.length) {
      await db.from('invoice_lines').whereIn('invoice_id', invoiceIds).delete()
      await db.from('audit_logs').where('subject_type', 'invoice').whereIn('subject_id', invoiceIds.map(String)).delete()
    }
    await db.from('invoices').whereIn('family_id', familyIds).delete()
    await db.from('families').whereIn('id', familyIds).delete()
  }
  if (activityIds.length) await db.from('activities').whereIn('id', activityIds).delete()
  const type = await db.from('activity_types').where('name', 'Facturation (essais)').first()
  if (type && !(await db.from('activities').where('activity_type_id', type.id).first())) await db.from('activity_types').where('id', type.id).delete()
  if (userIds.length) await db.from('users').whereIn('id', userIds).delete()
  await db.from('audit_logs').where('subject_type', 'billing_month').delete()
  for (const row of await db.from('invoice_sequences').where('kind', 'invoice')) {
    const max = await db.from('invoices').where('year', row.year).max('sequence as top').first()
    await db.from('invoice_sequences').where({ kind: 'invoice', year: row.year }).update({ last: Number(max?.top ?? 0) })
  }
}

/**
 * For groups that commit (no global transaction): every family with an invoice made through
 * it is remembered, and `remove()` deletes them all at the group's end.
 */
export function committedFixtures() {
  const created = { familyIds: [] as number[], userIds: [] as number[], activityIds: [] as number[] }
  return {
    created,
    async familyWithInvoice(...args: Parameters<typeof familyWithInvoice>) {
      const fixture = await familyWithInvoice(...args)
      created.familyIds.push(fixture.family.id)
      if (fixture.parent) created.userIds.push(fixture.parent.id)
      created.activityIds.push(fixture.activity.id)
      return fixture
    },
    remove: () => removeCommitted(created),
  }
}

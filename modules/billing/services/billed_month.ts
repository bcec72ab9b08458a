import db from '@adonisjs/lucid/services/db'
import { Activity } from '#modules/inscriptions/index'
import tariffService, { type TariffBook } from '#modules/billing/services/tariff_service'
import type { BillingSource, BookedDay, MonthScope, RegistrationFee } from '#modules/billing/services/billing_source'
import { chunks, groupBy } from '#core/chunks'
import { computeInvoice, type ComputedInvoice } from '#modules/billing/services/invoice_lines'
import type { InvoicedHousehold } from '#modules/billing/services/invoiced_households'

/** What a month bills, by family: the days booked and the registration fees. */
export interface BilledMonth {
  daysByFamily: Map<number, BookedDay[]>
  feesByFamily: Map<number, RegistrationFee[]>
  /** Every family with a day or a fee, in order. */
  familyIds: number[]
  activityIds: number[]
}

/** What pricing the month needs: the tariffs and names of its activities, and who is already invoiced. */
export interface MonthReferences {
  tariffs: TariffBook
  activityNames: Map<number, string>
  alreadyInvoiced: Set<number>
}

/** The month's days and fees, of every family or of these ones (`familyIds`: a page of an invoice run). */
export async function readBilledMonth(month: string, source: BillingSource, familyIds?: readonly number[]): Promise<BilledMonth> {
  // One after the other: a source bound to a transaction has one connection (pg warns, then fails, on two queries at once).
  const days = await source.bookedDays(month, familyIds)
  const fees = await source.registrationFees(month, familyIds)
  const daysByFamily = groupBy(days, (day) => day.familyId)
  const feesByFamily = groupBy(fees, (fee) => fee.familyId)
  return {
    daysByFamily,
    feesByFamily,
    familyIds: [...new Set([...daysByFamily.keys(), ...feesByFamily.keys()])].sort((a, b) => a - b),
    activityIds: [...new Set([...days.map((d) => d.activityId), ...fees.map((f) => f.activityId)])],
  }
}

export async function readMonthReferences(month: string, scope: MonthScope): Promise<MonthReferences> {
  const tariffs = await tariffService.book(scope.activityIds)
  const activityNames = new Map<number, string>()
  for (const chunk of chunks(scope.activityIds, 500)) {
    for (const activity of await Activity.query().whereIn('id', chunk).select('id', 'name')) activityNames.set(activity.id, activity.name)
  }
  const alreadyInvoiced = new Set<number>()
  for (const chunk of chunks(scope.familyIds, 500)) {
    const rows = await db.from('invoices').where('month', month).whereIn('family_id', chunk).select('family_id')
    for (const row of rows) alreadyInvoiced.add(Number(row.family_id))
  }
  return { tariffs, activityNames, alreadyInvoiced }
}

/** One family's month priced: what the invoice run bills, and what the home page's estimate shows. */
export function computeFamilyMonth(household: InvoicedHousehold, billed: BilledMonth, references: MonthReferences): ComputedInvoice {
  const familyId = household.facts.id
  return computeInvoice({
    family: household.facts,
    children: household.children,
    days: billed.daysByFamily.get(familyId) ?? [],
    fees: billed.feesByFamily.get(familyId) ?? [],
    activityNames: references.activityNames,
    tariffOn: (activityId, day) => references.tariffs.on(activityId, day)?.rule ?? null,
  })
}

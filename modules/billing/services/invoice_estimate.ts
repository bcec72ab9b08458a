import { todayInParis } from '#modules/billing/services/tariff_service'
import { planningSourceFor } from '#modules/billing/services/planning_source'
import { computeFamilyMonth, readBilledMonth, readMonthReferences } from '#modules/billing/services/billed_month'
import { readHouseholds } from '#modules/billing/services/invoiced_households'
import { monthLabel } from '#modules/billing/services/billing_month'
import type { ComputedLine } from '#modules/billing/services/invoice_lines'

export interface InvoiceEstimate {
  /** AAAA-MM. */
  month: string
  /** « décembre 2026 ». */
  monthName: string
  lines: ComputedLine[]
  totalCents: number
}

/**
 * What the family's invoice for a month would be if it were issued now: the invoice run's own
 * pipeline (planning's feed, registration fees, tariffs, sibling ranks, late surcharges, justified
 * absences) on this family alone. Null when there is nothing to bill, when the month is already
 * invoiced, or when a day has no tariff (the run would not invoice the family either).
 */
export async function estimateInvoice(familyId: number, month: string = todayInParis().slice(0, 7)): Promise<InvoiceEstimate | null> {
  const billed = await readBilledMonth(month, planningSourceFor({ familyId }))
  if (!billed.familyIds.includes(familyId)) return null
  const references = await readMonthReferences(month, billed)
  if (references.alreadyInvoiced.has(familyId)) return null
  const household = (await readHouseholds([familyId])).get(familyId)
  if (!household) return null
  const computed = computeFamilyMonth(household, billed, references)
  if (computed.problems.length || computed.totalCents <= 0) return null
  return { month, monthName: monthLabel(month), lines: computed.lines, totalCents: computed.totalCents }
}

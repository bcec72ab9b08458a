import { todayInParis } from '#modules/billing/services/tariff_service'
import { isMonth, type BillingSource } from '#modules/billing/services/billing_source'
import audit from '#services/audit_service'
import { chunks } from '#core/chunks'
import { BillingError, MonthNotEndedError, type Actor } from '#modules/billing/services/billing_error'
import { dueDateFor, monthNotEnded } from '#modules/billing/services/billing_month'
import { computeFamilyMonth, readBilledMonth, readMonthReferences, type BilledMonth, type MonthReferences } from '#modules/billing/services/billed_month'
import { readHouseholds, type InvoicedHousehold } from '#modules/billing/services/invoiced_households'
import { InvoiceBatches } from '#modules/billing/services/invoice_batches'
import type { PendingInvoice } from '#modules/billing/services/invoice_writer'
import { LoopShare } from '#core/loop_share'

export interface RunSummary {
  month: string
  created: number
  alreadyIssued: number
  withoutAmount: number
  totalCents: number
  problems: { familyId: number; message: string }[]
  invoiceIds: number[]
}

/**
 * One family's invoice for the month, or why there is none: already invoiced, not found, a
 * problem of pricing (no tariff, an unknown child) or nothing to pay. Tallied in the summary.
 */
function invoiceFor(
  familyId: number,
  household: InvoicedHousehold | undefined,
  billed: BilledMonth,
  references: MonthReferences,
  summary: RunSummary
): PendingInvoice | null {
  if (references.alreadyInvoiced.has(familyId)) {
    summary.alreadyIssued++
    return null
  }
  if (!household) {
    summary.problems.push({ familyId, message: 'Famille introuvable.' })
    return null
  }
  const computed = computeFamilyMonth(household, billed, references)
  if (computed.problems.length) {
    for (const message of computed.problems) summary.problems.push({ familyId, message })
    return null
  }
  if (computed.totalCents <= 0) {
    summary.withoutAmount++
    return null
  }
  return {
    familyId,
    totalCents: computed.totalCents,
    lines: computed.lines,
    familyQuotient: household.facts.familyQuotient,
    familyName: household.name,
    familyAddress: household.address,
  }
}

/** The monthly run: every family's invoice for a month, in batches, once. */
class InvoiceGeneration {
  /**
   * Issues each family's invoice for a month. Families already invoiced that month are left
   * alone (unique family × month): running twice changes nothing.
   */
  async generateMonth(
    month: string,
    source: BillingSource,
    options: {
      actor?: Actor | null
      issuedOn?: string
      /** Bill a month that has not ended yet (days still to come are billed as booked). */
      force?: boolean
      onFamilies?: (count: number) => void
      onProgress?: () => void
    } = {}
  ): Promise<RunSummary> {
    if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} » (format attendu AAAA-MM).`)
    const notEnded = options.force ? null : monthNotEnded(month)
    if (notEnded) throw new MonthNotEndedError(notEnded)
    const issuedOn = options.issuedOn ?? todayInParis()
    const dueDate = dueDateFor(month)
    const scope = await source.monthScope(month)
    options.onFamilies?.(scope.familyIds.length)

    const summary: RunSummary = { month, created: 0, alreadyIssued: 0, withoutAmount: 0, totalCents: 0, problems: [], invoiceIds: [] }
    const references = await readMonthReferences(month, scope)
    const batches = new InvoiceBatches({ month, year: Number(issuedOn.slice(0, 4)), issuedOn, dueDate }, summary)
    // A page of families at a time: their days, their households, their invoices (the whole
    // month read at once held the server's event loop for seconds, and its memory).
    const share = new LoopShare()
    for (const page of chunks(scope.familyIds, 200)) {
      const ids = page.filter((familyId) => !references.alreadyInvoiced.has(familyId))
      summary.alreadyIssued += page.length - ids.length
      for (let done = 0; done < page.length - ids.length; done++) options.onProgress?.()
      if (!ids.length) continue
      const billed = await readBilledMonth(month, source, ids)
      const households = await readHouseholds(ids)
      for (const familyId of ids) {
        options.onProgress?.()
        const invoice = invoiceFor(familyId, households.get(familyId), billed, references, summary)
        if (invoice) await batches.add(invoice)
        await share.turn()
      }
    }
    await batches.flush()

    await audit.record({
      actor: options.actor ?? null,
      action: 'billing.month.generated',
      subjectType: 'billing_month',
      subjectId: month,
      details: {
        created: summary.created,
        alreadyIssued: summary.alreadyIssued,
        totalCents: summary.totalCents,
        problems: summary.problems.length,
      },
    })
    return summary
  }
}

const invoiceGeneration = new InvoiceGeneration()
export default invoiceGeneration

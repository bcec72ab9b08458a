import type { DemoContext } from '#core/demo'
import { Activity, Registration } from '#modules/inscriptions/index'
import { User } from '#modules/accounts/index'
import Tariff from '#modules/billing/models/tariff'
import Invoice from '#modules/billing/models/invoice'
import invoiceService from '#modules/billing/services/invoice_service'
import { fixtureSource, type BookedDay } from '#modules/billing/services/billing_source'
import type { Bracket, TariffUnit } from '#modules/billing/services/tariff_engine'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { creditorId } from '#modules/billing/config/sepa'

/** The canteen grid of DOMAIN.md (per meal); the billing tests price with it too. */
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

function unitOf(activity: Activity): TariffUnit {
  const label = `${activity.unitLabel} ${activity.name}`.toLowerCase()
  if (label.includes('repas') || label.includes('restauration')) return 'meal'
  if (label.includes('matin') || label.includes('soir')) return 'session'
  return 'day'
}

/**
 * Tariffs for the demo activities (the canteen grid, the linear rate for the others), and last
 * month's invoices for two demo families: one paid at the counter, one still to pay online.
 */
export default async function seedBilling(demo: DemoContext) {
  const lastMonth = demo.now.minus({ months: 1 }).startOf('month')
  const validFrom = lastMonth.minus({ years: 1 }).set({ month: 9, day: 1 }).toISODate()!

  const activities = await Activity.query().orderBy('id')
  for (const activity of activities) {
    if (await Tariff.query().where('activity_id', activity.id).first()) continue
    const unit = unitOf(activity)
    if (unit === 'meal') {
      await Tariff.create({
        activityId: activity.id,
        validFrom,
        model: 'brackets',
        unit,
        brackets: CANTEEN_GRID,
        nonResidentCents: 650,
        lateSurchargeCents: 250,
        siblingReductions: {},
        regimeAdjustments: {},
      })
    } else {
      await Tariff.create({
        activityId: activity.id,
        validFrom,
        model: 'linear',
        unit,
        brackets: [],
        rate: unit === 'session' ? 1800 : 3600,
        floorCents: unit === 'session' ? 130 : 260,
        ceilingCents: unit === 'session' ? 225 : 450,
        nonResidentCents: unit === 'session' ? 300 : 650,
        lateSurchargeCents: 250,
        siblingReductions: { 2: 10, 3: 20 },
        regimeAdjustments: {},
      })
    }
  }

  const families: Record<string, { id: number; reference: string; userIds?: number[] }> = demo.state.families ?? {}
  const familyIds = Object.values(families).map((family) => family.id)
  if (!familyIds.length) return
  const debited = Object.values(families)[1] ?? Object.values(families)[0]
  await seedMandate(debited)
  const month = lastMonth.toFormat('yyyy-MM')
  if (await Invoice.query().where('month', month).first()) return

  // Weekdays of last month: what the demo children attended (planning's demo books the coming days only).
  const weekdays: string[] = []
  for (let day = lastMonth; day.month === lastMonth.month; day = day.plus({ days: 1 })) {
    if (day.weekday <= 5) weekdays.push(day.toISODate()!)
  }
  const registrations = await Registration.query().whereIn('family_id', familyIds).where('state', 'validated').orderBy('family_id').orderBy('id')
  const billed: number[] = []
  const days: BookedDay[] = []
  for (const familyId of familyIds) {
    const own = registrations.filter((registration) => registration.familyId === familyId)
    if (!own.length || billed.length >= 3) continue
    billed.push(familyId)
    for (const registration of own.slice(0, 2)) {
      weekdays.slice(0, 8).forEach((day, index) => {
        days.push({
          familyId,
          childId: registration.childId,
          activityId: registration.activityId,
          day,
          attendance: index === 3 ? 'justified' : index === 5 ? 'absent' : 'present',
          late: index === 7 && billed.length === 2,
        })
      })
    }
  }
  if (!days.length) return
  const summary = await invoiceService.generateMonth(month, fixtureSource(days), { issuedOn: demo.now.startOf('month').toISODate()! })

  // The first family paid at the counter; the family with the mandate has its invoice under
  // direct debit (the month's file to export: billing:sepa-export); another one pays online.
  const first = summary.invoiceIds.length ? await Invoice.find(summary.invoiceIds[0]) : null
  const agent = await User.query().whereIn('role', ['staff', 'admin']).orderBy('id').first()
  if (first && agent && !first.debitMandateId) {
    await invoiceService.recordManualPayment(
      first.id,
      { method: 'cheque', amountCents: first.balanceCents, receiptNumber: `DEMO-${first.number}`, paidOn: demo.now.startOf('month').plus({ days: 4 }).toISODate()! },
      { id: agent.id, fullName: agent.fullName }
    )
  }
  demo.state.billing = { month, invoices: summary.invoiceIds }
}

/**
 * The second demo family pays by direct debit (the first one pays online in the browser
 * journey): a mandate signed by its first guardian on a specimen IBAN (the demo .env sets a demo
 * creditor identifier, SEPA_CREDITOR_ID). Without an ICS the commune offers no direct debit: no
 * mandate then, as a parent could not sign one.
 */
export async function seedMandate(family: { id: number; reference: string; userIds?: number[] }) {
  if (!creditorId()) return
  if (await SepaMandate.query().where('family_id', family.id).first()) return
  const user = family.userIds?.length ? await User.find(family.userIds[0]) : null
  if (!user) return
  await mandateService.sign(family, { id: user.id, fullName: user.fullName }, { holderName: user.fullName, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' })
}

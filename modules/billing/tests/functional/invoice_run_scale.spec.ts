import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { seedBilledMonth } from '#modules/billing/bench/billed_month_seed'
import invoiceService from '#modules/billing/services/invoice_service'
import { planningSource } from '#modules/billing/services/planning_source'
import type { BillingSource } from '#modules/billing/services/billing_source'
import { loopTurnsDuring } from '#tests/helpers/loop_turns'

/*
 * An invoice run over more families than one page (200): the month's days are read a page of
 * families at a time, never the whole month in one call (400,000 rows at 20,000 families held
 * the server's event loop for 3 s); the 20,000-family figures are the bench's
 * (modules/billing/bench/generate.ts).
 */
const FAMILIES = 1000
const MONTH = '2098-03'

test.group('Invoice run past one page of families', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('1,000 families: their days read 200 families at a time, each invoiced once, the event loop given back; the rerun reads no day', async ({ assert }) => {
    await seedBilledMonth(db.connection(), { families: FAMILIES, daysPerFamily: 5, month: MONTH })
    const pages: (readonly number[] | undefined)[] = []
    const source: BillingSource = {
      monthScope: (month) => planningSource.monthScope(month),
      bookedDays: (month, familyIds) => {
        pages.push(familyIds)
        return planningSource.bookedDays(month, familyIds)
      },
      registrationFees: (month, familyIds) => planningSource.registrationFees(month, familyIds),
    }

    const { result: summary, turns } = await loopTurnsDuring(() => invoiceService.generateMonth(MONTH, source, { force: true }))
    assert.equal(summary.created, FAMILIES)
    assert.lengthOf(summary.problems, 0)
    assert.isTrue(
      pages.every((ids) => ids !== undefined && ids.length <= 200),
      `pages of ${pages.map((ids) => ids?.length ?? 'tout le mois').join(', ')}`
    )
    const read = pages.flatMap((ids) => [...ids!])
    assert.equal(new Set(read).size, FAMILIES)
    assert.lengthOf(read, FAMILIES)
    assert.isAbove(turns, 5)
    const invoices = await db.from('invoices').where('month', MONTH).count('* as count').sum('total_cents as total').first()
    assert.equal(Number(invoices.count), FAMILIES)
    assert.equal(Number(invoices.total), summary.totalCents)

    pages.length = 0
    const again = await invoiceService.generateMonth(MONTH, source, { force: true })
    assert.equal(again.created, 0)
    assert.equal(again.alreadyIssued, FAMILIES)
    assert.lengthOf(pages, 0)
  }).timeout(120_000)
})

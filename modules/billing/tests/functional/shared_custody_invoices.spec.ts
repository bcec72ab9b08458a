import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import { custodyService, householdOn, CustodyArrangement } from '#modules/dossier/index'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import invoiceService from '#modules/billing/services/invoice_service'
import { planningSource } from '#modules/billing/services/planning_source'
import { canteenTariff, createActivity, createFamily, linearTariff } from '#modules/billing/tests/factories'
import { bookDays, createActivity as createPlanningActivity, createDays } from '#modules/planning/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'
import { formatMoney } from '#core/french'
import { createUser } from '#tests/helpers/users'

const SEPTEMBER = Array.from({ length: 30 }, (_, index) => `2026-09-${String(index + 1).padStart(2, '0')}`).filter((day) => DateTime.fromISO(day).weekday <= 5)

/**
 * Lya, of the Martins, in shared custody with the Duponts from 1 September 2026 (the Martins
 * the even weeks); each household books the school days of its weeks as the planning records
 * them (the booking's family is the household whose week it is). Her brother Noé and the
 * Duponts' Tom eat at the canteen too.
 */
async function sharedSeptember(quotients: { martins: number; duponts: number }, tariff: 'linear' | 'canteen') {
  const canteen = await createActivity(`Cantine partagée ${quotients.martins}-${quotients.duponts}`)
  await (tariff === 'linear' ? linearTariff(canteen.id) : canteenTariff(canteen.id))
  const martins = await createFamily({ quotient: quotients.martins, lastName: 'Martin', children: [{ firstName: 'Lya', birthDate: '2016-05-01' }, { firstName: 'Noé', birthDate: '2014-01-10' }] })
  const duponts = await createFamily({ quotient: quotients.duponts, lastName: 'Dupont', children: [{ firstName: 'Tom', birthDate: '2017-02-02' }] })
  const [lya, noe] = martins.children
  await custodyService.setUp(lya, { otherFamilyId: duponts.family.id, evenWeeks: 'child_family', startsOn: '2026-09-01' }, await createUser('staff'))
  const arrangements = [await CustodyArrangement.query().where('child_id', lya.id).firstOrFail()]
  const martinDays = SEPTEMBER.filter((day) => householdOn(lya, arrangements, day) === martins.family.id)
  const duponDays = SEPTEMBER.filter((day) => householdOn(lya, arrangements, day) === duponts.family.id)
  await bookDays(canteen.id, martins.family.id, lya.id, martinDays.map((date) => ({ date, attendance: 'present' })))
  await bookDays(canteen.id, duponts.family.id, lya.id, duponDays.map((date) => ({ date, attendance: 'present' })))
  await bookDays(canteen.id, martins.family.id, noe.id, SEPTEMBER.slice(0, 3).map((date) => ({ date, attendance: 'present' })))
  await bookDays(canteen.id, duponts.family.id, duponts.children[0].id, SEPTEMBER.slice(0, 2).map((date) => ({ date, attendance: 'present' })))
  await invoiceService.generateMonth('2026-09', planningSource, { issuedOn: '2026-10-02' })
  const invoiceOf = (familyId: number) => Invoice.query().where('family_id', familyId).where('month', '2026-09').firstOrFail()
  const linesOf = async (familyId: number, childId: number) => InvoiceLine.query().where('invoice_id', (await invoiceOf(familyId)).id).where('child_id', childId).where('kind', 'booking')
  return { canteen, martins, duponts, lya, noe, martinDays, duponDays, invoiceOf, linesOf }
}

const sum = (lines: { totalCents: number }[]) => lines.reduce((total, line) => total + line.totalCents, 0)

test.group('Billing: shared custody, an invoice per household', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("each household's invoice bills the shared child's days of its weeks, and together they make the whole at the same tariff", async ({ assert }) => {
    const { martins, duponts, lya, martinDays, duponDays, linesOf } = await sharedSeptember({ martins: 1000, duponts: 1000 }, 'canteen')
    assert.isAbove(martinDays.length, 0)
    assert.isAbove(duponDays.length, 0)
    assert.equal(martinDays.length + duponDays.length, SEPTEMBER.length)
    const martinLines = await linesOf(martins.family.id, lya.id)
    const duponLines = await linesOf(duponts.family.id, lya.id)
    assert.deepEqual(martinLines.map((line) => [line.quantity, line.unitPriceCents]), [[martinDays.length, 305]])
    assert.deepEqual(duponLines.map((line) => [line.quantity, line.unitPriceCents]), [[duponDays.length, 305]])

    // The whole: one household with Lya every school day of September at the same tariff (QF 1000).
    const canteen = await createActivity('Cantine (un seul foyer)')
    await canteenTariff(canteen.id)
    const alone = await createFamily({ quotient: 1000, lastName: 'Seul', children: [{ firstName: 'Lya', birthDate: '2016-05-01' }] })
    await bookDays(canteen.id, alone.family.id, alone.children[0].id, SEPTEMBER.map((date) => ({ date, attendance: 'present' })))
    await invoiceService.generateMonth('2026-09', planningSource, { issuedOn: '2026-10-02' })
    const whole = await InvoiceLine.query().whereIn('invoice_id', Invoice.query().where('family_id', alone.family.id).select('id')).where('kind', 'booking')
    assert.equal(sum(martinLines) + sum(duponLines), sum(whole))
    assert.equal(sum(whole), SEPTEMBER.length * 305)
  })

  test('with different quotients each household is billed at its own tariff', async ({ assert }) => {
    const { martins, duponts, lya, noe, martinDays, duponDays, invoiceOf, linesOf } = await sharedSeptember({ martins: 500, duponts: 1500 }, 'linear')
    // 0.36 % × QF between 2.60 € and 4.50 €: QF 500 → 2.60 €, QF 1500 → 4.50 €
    assert.deepEqual((await linesOf(martins.family.id, lya.id)).map((line) => [line.quantity, line.unitPriceCents, line.totalCents]), [[martinDays.length, 260, martinDays.length * 260]])
    assert.deepEqual((await linesOf(duponts.family.id, lya.id)).map((line) => [line.quantity, line.unitPriceCents, line.totalCents]), [[duponDays.length, 450, duponDays.length * 450]])
    assert.equal((await invoiceOf(martins.family.id)).familyQuotient, 500)
    assert.equal((await invoiceOf(duponts.family.id)).familyQuotient, 1500)
    // the Duponts' invoice holds their own child and Lya, never Noé
    const duponChildren = (await InvoiceLine.query().where('invoice_id', (await invoiceOf(duponts.family.id)).id)).map((line) => line.childId)
    assert.sameMembers([...new Set(duponChildren)], [duponts.children[0].id, lya.id])
    assert.notInclude(duponChildren, noe.id)
  })

  test("a household never opens the other's invoice", async ({ client, assert }) => {
    const { martins, duponts, invoiceOf } = await sharedSeptember({ martins: 1000, duponts: 1000 }, 'linear')
    const martinInvoice = await invoiceOf(martins.family.id)
    const duponInvoice = await invoiceOf(duponts.family.id)
    assert.oneOf((await client.get(`/facturation/${martinInvoice.id}`).loginAs(duponts.parent!)).status(), [403, 404])
    assert.oneOf((await client.get(`/facturation/${duponInvoice.id}`).loginAs(martins.parent!)).status(), [403, 404])
    const own = await client.get(`/facturation/${duponInvoice.id}`).loginAs(duponts.parent!)
    own.assertStatus(200)
    assert.include(own.text(), 'Lya')
    assert.notInclude(own.text(), 'Noé')
  })

  test("the other household's basket prices the shared child's days of its weeks at its own quotient", async ({ client, assert }) => {
    let monday = DateTime.now().setZone('Europe/Paris').plus({ days: 14 }).startOf('day')
    monday = monday.minus({ days: monday.weekday - 1 })
    const canteen = await createPlanningActivity({ name: 'Cantine', endsOn: monday.plus({ months: 2 }).toISODate()! })
    await canteenTariff(canteen.id)
    const martins = await createFamily({ quotient: 700, lastName: 'Martin', children: [{ firstName: 'Lya', birthDate: '2016-05-01' }] })
    const duponts = await createFamily({ quotient: 1000, lastName: 'Dupont', children: [] })
    const lya = martins.children[0]
    await createValidatedRegistration(canteen as never, martins.family.id, lya.id)
    const evenWeeks = monday.weekNumber % 2 === 0 ? 'other_family' : 'child_family'
    await custodyService.setUp(lya, { otherFamilyId: duponts.family.id, evenWeeks, startsOn: monday.toISODate()! }, await createUser('staff'))
    const days = await createDays(canteen, monday.toISODate()!, 14)
    for (const [household, week, unit] of [[duponts, days.slice(0, 7), 305], [martins, days.slice(7), 235]] as const) {
      const shown = week.map((day) => `${lya.id}-${day.id}`)
      const preview = await sendBasket(client, household.parent!, { date: week[0].day, action: 'preview', shown, selected: shown })
      assert.include(preview.text(), `Lya — Cantine : 7 repas × ${formatMoney(unit)} = ${formatMoney(7 * unit)}`)
    }
  })
})

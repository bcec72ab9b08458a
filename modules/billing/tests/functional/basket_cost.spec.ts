import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { formatMoney } from '#core/french'
import communeSettings from '#services/commune_settings'
import { queriesDuring } from '#tests/helpers/query_log'
import { withModulesOff } from '#tests/helpers/modules'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'
import { bookDays, createActivity, createDays } from '#modules/planning/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'
import { canteenTariff, createFamily } from '#modules/billing/tests/factories'
import { estimateInvoice } from '#modules/billing/services/invoice_estimate'
import { planningSource } from '#modules/billing/services/planning_source'
import { monthLabel } from '#modules/billing/services/billing_month'
import invoiceService from '#modules/billing/services/invoice_service'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'

const PARIS_TODAY = () => DateTime.now().setZone('Europe/Paris')
/** The first day of next month: the month's days are all before their booking deadline. */
const NEXT_MONTH = PARIS_TODAY().plus({ months: 1 }).startOf('month')
const THIS_MONTH = PARIS_TODAY().toFormat('yyyy-MM')

/** A canteen priced by the canteen grid, and a family of that quotient registered to it. */
async function canteenFamily(quotient: number, canteen?: { id: number }) {
  const activity = canteen ?? (await createActivity({ name: 'Cantine', endsOn: NEXT_MONTH.plus({ months: 3 }).toISODate()! }))
  if (!canteen) await canteenTariff(activity.id)
  const created = await createFamily({ quotient })
  for (const child of created.children) await createValidatedRegistration(activity as never, created.family.id, child.id)
  return { ...created, activity, user: created.parent! }
}

const pairs = (childId: number, days: { id: number }[]) => days.map((day) => `${childId}-${day.id}`)

test.group('Billing: the basket cost and the next invoice, with the family tariff', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the basket says what 12 meals cost at each family quotient, before validating', async ({ client, assert }) => {
    const small = await canteenFamily(700)
    const large = await canteenFamily(1000, small.activity)
    const days = await createDays(small.activity, NEXT_MONTH.toISODate()!, 12)
    for (const [family, unit, total] of [[small, 235, 2820], [large, 305, 3660]] as const) {
      const shown = pairs(family.children[0].id, days)
      const preview = await sendBasket(client, family.user, { date: days[0].day, action: 'preview', shown, selected: shown })
      preview.assertStatus(200)
      const text = preview.text()
      assert.include(text, 'Coût de ces modifications')
      assert.include(text, `Lya — Cantine : 12 repas × ${formatMoney(unit)} = ${formatMoney(total)}`)
      assert.include(text, `Total : ${formatMoney(total)}`)
    }
  })

  test('cancellations are taken off the total; nothing is booked by a preview', async ({ client, assert }) => {
    const family = await canteenFamily(700)
    const days = await createDays(family.activity, NEXT_MONTH.toISODate()!, 5)
    await bookDays(family.activity.id, family.family.id, family.children[0].id, [{ date: days[0].day }, { date: days[1].day }])
    const shown = pairs(family.children[0].id, days)
    // Keeps day 0, cancels day 1, books days 2 to 4.
    const preview = await sendBasket(client, family.user, { date: days[0].day, action: 'preview', shown, selected: [shown[0], ...shown.slice(2)] })
    const text = preview.text()
    assert.include(text, `Lya — Cantine : 3 repas × ${formatMoney(235)} = ${formatMoney(705)}`)
    assert.include(text, `Lya — Cantine : 1 repas × ${formatMoney(235)} = -${formatMoney(235)}`)
    assert.include(text, `Total : ${formatMoney(470)}`)
    const invoiceBefore = await estimateInvoice(family.family.id, NEXT_MONTH.toFormat('yyyy-MM'))
    assert.equal(invoiceBefore?.totalCents, 470, 'the two days booked before the preview, and only them')
  })

  test('a cancelled day booked late takes its late surcharge off too', async ({ client, assert }) => {
    const family = await canteenFamily(700)
    const days = await createDays(family.activity, NEXT_MONTH.toISODate()!, 2)
    await bookDays(family.activity.id, family.family.id, family.children[0].id, [{ date: days[0].day, late: true }])
    const shown = pairs(family.children[0].id, days)
    const text = (await sendBasket(client, family.user, { date: days[0].day, action: 'preview', shown, selected: [] })).text()
    assert.include(text, `Lya — Cantine : 1 repas × ${formatMoney(235)} = -${formatMoney(235)}`)
    assert.include(text, `Lya — Cantine : 1 majoration hors délai × ${formatMoney(250)} = -${formatMoney(250)}`)
    assert.include(text, `Total : ${formatMoney(-485)}`)
  })

  test('another family cannot price this family’s children: boxes of theirs are not counted', async ({ client, assert }) => {
    const ours = await canteenFamily(700)
    const theirs = await canteenFamily(1000, ours.activity)
    const days = await createDays(ours.activity, NEXT_MONTH.toISODate()!, 3)
    const forged = pairs(ours.children[0].id, days)
    const response = await sendBasket(client, theirs.user, { date: days[0].day, action: 'preview', shown: forged, selected: forged })
    assert.notInclude(response.text(), 'Coût de ces modifications')
    assert.notInclude(response.text(), formatMoney(235 * 3))
  })

  test('billing switched off: the basket counts without a cost, the home page has no estimate, no error', async ({ client, assert }) => {
    const family = await canteenFamily(700)
    const days = await createDays(family.activity, NEXT_MONTH.toISODate()!, 3)
    await bookDays(family.activity.id, family.family.id, family.children[0].id, [{ date: `${THIS_MONTH}-01` }])
    const shown = pairs(family.children[0].id, days)
    await withModulesOff(['billing'], async () => {
      const preview = await sendBasket(client, family.user, { date: days[0].day, action: 'preview', shown, selected: shown })
      preview.assertStatus(200)
      assert.include(preview.text(), '3 réservations')
      assert.notInclude(preview.text(), 'Coût de ces modifications')
      const home = await client.get('/accueil').loginAs(family.user)
      home.assertStatus(200)
      assert.notInclude(home.text(), 'Prochaine facture estimée')
    })
  })

  test('the home page estimate is what the invoice run then bills for the month', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    await canteenTariff(activity.id, '2026-01-01', { siblingReductions: { 2: 10 } })
    const created = await createFamily({ quotient: 700, children: [{ firstName: 'Lya', birthDate: '2016-03-02' }, { firstName: 'Noé', birthDate: '2018-05-06' }] })
    const [lya, noe] = created.children
    activity.feeCents = 1500
    await activity.save()
    // Lya's registration validated this month: its fee is on this month's invoice.
    const registration = await createValidatedRegistration(activity, created.family.id, lya.id)
    registration.decidedAt = DateTime.now()
    await registration.save()
    await createValidatedRegistration(activity, created.family.id, noe.id)
    const day = (n: number) => `${THIS_MONTH}-${String(n).padStart(2, '0')}`
    await bookDays(activity.id, created.family.id, lya.id, [
      { date: day(1), attendance: 'present' },
      { date: day(2), attendance: 'absent' },
      { date: day(3), attendance: 'justified' },
      { date: day(8) },
      { date: day(9), late: true },
    ])
    await bookDays(activity.id, created.family.id, noe.id, [{ date: day(1), attendance: 'present' }, { date: day(8) }])
    // Another family the same month, richer: its days change nothing here.
    const other = await canteenFamily(1600, activity)
    await bookDays(activity.id, other.family.id, other.children[0].id, [{ date: day(8) }])

    const estimate = await estimateInvoice(created.family.id)
    assert.isNotNull(estimate)
    const home = await client.get('/accueil').loginAs(created.parent!)
    const text = home.text()
    assert.include(text, `Prochaine facture estimée (${monthLabel(THIS_MONTH)}) : ${formatMoney(estimate!.totalCents)}`)
    assert.include(text, 'estimation')
    // 4 meals of Lya at 2.35 € (the justified absence not billed), the late surcharge, 2 of Noé at -10 %, the fee.
    assert.include(text, 'frais des inscriptions')
    assert.equal(estimate!.totalCents, 4 * 235 + 250 + 2 * 212 + 1500)

    const otherHome = (await client.get('/accueil').loginAs(other.user)).text()
    assert.notInclude(otherHome, formatMoney(estimate!.totalCents))
    assert.include(otherHome, `Prochaine facture estimée (${monthLabel(THIS_MONTH)}) : ${formatMoney(405)}`)

    await invoiceService.generateMonth(THIS_MONTH, planningSource, { force: true })
    const invoice = await Invoice.query().where('family_id', created.family.id).where('month', THIS_MONTH).firstOrFail()
    assert.equal(invoice.totalCents, estimate!.totalCents)
    const lines = await InvoiceLine.query().where('invoice_id', invoice.id).orderBy('position')
    assert.deepEqual(
      lines.map((line) => [line.label, line.quantity, line.unitPriceCents, line.totalCents]),
      estimate!.lines.map((line) => [line.label, line.quantity, line.unitPriceCents, line.totalCents])
    )
    // Once invoiced, the home page shows the invoice to pay rather than an estimate.
    assert.notInclude((await client.get('/accueil').loginAs(created.parent!)).text(), 'Prochaine facture estimée')
  })

  test('a family with nothing booked this month sees no estimate', async ({ client, assert }) => {
    const family = await canteenFamily(700)
    const home = await client.get('/accueil').loginAs(family.user)
    home.assertStatus(200)
    assert.notInclude(home.text(), 'Prochaine facture estimée')
  })

  test('pricing a basket of 10 days makes as many queries as a basket of 1 day', async ({ client, assert }) => {
    const count = async (size: number) => {
      const family = await canteenFamily(700)
      const days = await createDays(family.activity, NEXT_MONTH.toISODate()!, size)
      const shown = pairs(family.children[0].id, days)
      await communeSettings.get()
      return queriesDuring(async () => {
        const preview = await sendBasket(client, family.user, { date: days[0].day, action: 'preview', shown, selected: shown })
        assert.include(preview.text(), `${size} repas ×`)
      })
    }
    await count(1) // the first request fills the process's caches
    const one = await count(1)
    const ten = await count(10)
    assert.equal(ten.length, one.length, `1 day: ${one.length} queries, 10 days: ${ten.length}\n${ten.join('\n')}`)
  })
})

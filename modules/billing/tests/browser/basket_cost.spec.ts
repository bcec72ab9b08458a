import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { mkdir } from 'node:fs/promises'
import { DateTime } from 'luxon'
import communeSettings from '#services/commune_settings'
import { assertAccessible } from '#tests/helpers/browser'
import { formatMoney } from '#core/french'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'
import { bookDays, createActivity, createDays } from '#modules/planning/tests/factories'
import { canteenTariff, createFamily } from '#modules/billing/tests/factories'

/** Where the pages' screenshots are kept for the review (1280 and 360 px). */
const SHOTS = process.env.SHOTS_PATH ?? '/work/shots/basket-cost'

test.group('Billing in Chromium: the basket cost and the next invoice', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars' })
    await mkdir(SHOTS, { recursive: true })
  })

  test('a parent counts a basket of 12 meals and reads its cost before validating; usable at 320 px', async ({ visit, browserContext, assert }) => {
    const nextMonth = DateTime.now().setZone('Europe/Paris').plus({ months: 1 }).startOf('month')
    const activity = await createActivity({ name: 'Cantine', endsOn: nextMonth.plus({ months: 3 }).toISODate()! })
    await canteenTariff(activity.id)
    const { family, parent, children } = await createFamily({ quotient: 700 })
    await createValidatedRegistration(activity, family.id, children[0].id)
    const days = await createDays(activity, nextMonth.plus({ days: 1 }).toISODate()!, 13)
    await bookDays(activity.id, family.id, children[0].id, [{ date: days[12].day }])

    await browserContext.loginAs(parent!)
    const page = await visit(`/planning?vue=mois&date=${days[0].day}`)
    for (const day of days.slice(0, 12)) await page.locator(`#jour-${children[0].id}-${day.day}`).check()
    await page.locator(`#jour-${children[0].id}-${days[12].day}`).uncheck()
    await page.getByRole('button', { name: 'COMPTER MES MODIFICATIONS' }).click()
    const cost = page.locator('[data-basket-cost]')
    await cost.waitFor()
    const text = await cost.innerText()
    assert.include(text, `Lya — Cantine : 12 repas × ${formatMoney(235)} = ${formatMoney(2820)}`)
    assert.include(text, `Lya — Cantine : 1 repas × ${formatMoney(235)} = -${formatMoney(235)}`)
    assert.include(text, `Total : ${formatMoney(2585)}`)
    await assertAccessible(page)
    await cost.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/basket-cost-1280.png`, fullPage: true })

    await page.setViewportSize({ width: 320, height: 700 })
    const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
    assert.isAtMost(scrollWidth, 320)
    assert.isTrue(await cost.isVisible())
    await assertAccessible(page)
    await page.setViewportSize({ width: 360, height: 740 })
    await page.screenshot({ path: `${SHOTS}/basket-cost-360.png`, fullPage: true })

    // A box changed after counting: the cost is no longer that of the basket, and says so.
    await page.locator(`#jour-${children[0].id}-${days[0].day}`).uncheck()
    assert.isFalse(await cost.isVisible())
    assert.include(await page.locator('[data-basket-cost-stale]').innerText(), 'recalculer le coût')
  })

  test('the home page shows the next invoice estimated from the month bookings; usable at 320 px', async ({ visit, browserContext, assert }) => {
    const month = DateTime.now().setZone('Europe/Paris').toFormat('yyyy-MM')
    const activity = await createActivity({ name: 'Cantine' })
    await canteenTariff(activity.id)
    const { family, parent, children } = await createFamily({ quotient: 700 })
    await createValidatedRegistration(activity, family.id, children[0].id)
    await bookDays(activity.id, family.id, children[0].id, [1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 28].map((n) => ({ date: `${month}-${String(n).padStart(2, '0')}` })))

    await browserContext.loginAs(parent!)
    const page = await visit('/accueil')
    const section = page.locator('.billing-estimate')
    const text = await section.innerText()
    assert.include(text, `: ${formatMoney(20 * 235)}`)
    assert.include(text, `Cantine — Lya : 20 repas × ${formatMoney(235)} = ${formatMoney(20 * 235)}`)
    assert.include(text, 'estimation')
    await assertAccessible(page)
    await page.screenshot({ path: `${SHOTS}/home-estimate-1280.png`, fullPage: true })

    await page.setViewportSize({ width: 320, height: 700 })
    const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
    assert.isAtMost(scrollWidth, 320)
    await assertAccessible(page)
    await page.setViewportSize({ width: 360, height: 740 })
    await page.screenshot({ path: `${SHOTS}/home-estimate-360.png`, fullPage: true })
  })
})

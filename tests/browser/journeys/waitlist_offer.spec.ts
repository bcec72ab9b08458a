import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import communeSettings from '#services/commune_settings'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { seedCatalog } from '#modules/messaging/tests/factories'
import { checkPage, follow, pageWidth } from './helpers.js'

const SHOTS = '/work/shots/waitlist-offer'

test.group('Parcours — une place se libère sur la liste d’attente, réservée en un clic', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars' })
  })

  test('join the waiting list, another family cancels, the offer arrives in the inbox, one click books it; 320 px', async ({ visit, browserContext, assert }) => {
    await seedCatalog()
    const activity = await createActivity({ name: 'Mercredis' })
    const day = await createDay(activity, dayFromToday(20), { room: 1, under6: 1, over6: 1 })
    const other = await registeredFamily(activity, { children: [{ firstName: 'Alice', birthDate: '2016-01-01' }] })
    const { user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2016-03-10' }] })
    await bookingService.book(other.family.id, other.children[0].id, day.id, { as: 'parent', actor: other.user })

    await browserContext.loginAs(user)
    const page = await visit(`/planning?vue=mois&date=${day.day}`)
    await checkPage(page)
    await follow(page, page.locator(`button[name="waitlist"][value="${children[0].id}-${day.id}"]`))
    assert.include(await page.locator('main').innerText(), "en liste d'attente (rang 1)")

    // another family cancels: the place is offered to Lya (inbox notice, held place)
    await bookingService.cancel(other.family.id, other.children[0].id, day.id, { as: 'parent', actor: other.user })

    await page.goto('/messagerie')
    await checkPage(page)
    await follow(page, page.getByRole('link', { name: /Une place s'est libérée/ }))
    await checkPage(page)
    assert.include(await page.locator('main').innerText(), '(heure de Paris)')
    await follow(page, page.getByRole('link', { name: 'Réserver cette place' }), /\/planning\/places-proposees\/\d+$/)
    await checkPage(page)
    assert.include(await page.locator('main').innerText(), "Elle vous est réservée jusqu'au")
    await page.screenshot({ path: `${SHOTS}/offer-1280.png`, fullPage: true })
    await page.setViewportSize({ width: 360, height: 740 })
    await page.screenshot({ path: `${SHOTS}/offer-360.png`, fullPage: true })
    await page.setViewportSize({ width: 320, height: 700 })
    assert.isAtMost(await pageWidth(page), 320)
    await checkPage(page)

    await follow(page, page.getByRole('button', { name: 'Réserver cette place' }))
    const main = await page.locator('main').innerText()
    assert.include(main, 'Place réservée : Mercredis')
    assert.include(main, 'Cette place est réservée pour Lya')
    await checkPage(page)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.screenshot({ path: `${SHOTS}/offer-booked-1280.png`, fullPage: true })
    const bookings = await db.from('planning_bookings').where('activity_day_id', day.id)
    assert.deepEqual(bookings.map((row) => row.child_id), [children[0].id])
  }).timeout(120_000)
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import communeSettings from '#services/commune_settings'
import { formatDateLong } from '#core/format'
import { assertAccessible } from '#tests/helpers/browser'
import { createActivity, createDays, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

const SHOTS = '/work/shots/weekly-pattern'

test.group('planning: weekly patterns in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars' })
  })

  test('a parent sets « every Monday and Thursday », sees the days booked on the grid, then stops it; usable at 320 px', async ({ visit, browserContext, assert }) => {
    const activity = await createActivity({ name: 'Cantine', weekdays: [1, 2, 4, 5] })
    const { user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2017-03-10' }] })
    const child = children[0]
    const days = (await createDays(activity, dayFromToday(7), 21)).map((day) => day.day)
    const mondaysThursdays = days.filter((day) => [1, 4].includes(DateTime.fromISO(day).weekday))

    await browserContext.loginAs(user)
    const page = await visit('/planning')
    await page.getByRole('link', { name: 'Réservations régulières' }).click()
    assert.equal(await page.title(), 'Réservations régulières — Colomars')
    assert.include(await page.locator('main').innerText(), "Pas de réservation régulière pour l'instant.")
    await assertAccessible(page)
    await page.screenshot({ path: `${SHOTS}/patterns-new-1280.png`, fullPage: true })
    await page.setViewportSize({ width: 360, height: 740 })
    await page.screenshot({ path: `${SHOTS}/patterns-new-360.png`, fullPage: true })
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.getByLabel('Enfant et activité').selectOption({ label: `Lya — Cantine (jusqu'au ${formatDateLong(activity.endsOn)})` })
    await page.getByLabel('Lundi').check()
    await page.getByLabel('Jeudi').check()
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForSelector('.planning-results')
    const results = await page.locator('main').innerText()
    assert.include(results, 'Réservation régulière enregistrée : Lya à Cantine, chaque lundi et jeudi')
    assert.include(results, `${mondaysThursdays.length} modifications enregistrées`)
    await assertAccessible(page)

    // the booked days, ticked on the month grid
    await page.goto(`${new URL(page.url()).origin}/planning?vue=mois&date=${mondaysThursdays[0]}`)
    const box = (iso: string) => page.locator(`#jour-${child.id}-${iso}`)
    const sameMonth = days.filter((day) => day.slice(0, 7) === mondaysThursdays[0].slice(0, 7))
    for (const day of sameMonth) assert.equal(await box(day).isChecked(), mondaysThursdays.includes(day), day)

    await page.goto(`${new URL(page.url()).origin}/planning/reservations-regulieres`)
    const list = await page.locator('main').innerText()
    assert.include(list, 'lundi et jeudi')
    assert.include(list, 'en cours')
    await assertAccessible(page)
    await page.screenshot({ path: `${SHOTS}/patterns-1280.png`, fullPage: true })

    await page.getByRole('link', { name: 'Modifier la réservation régulière de Lya à Cantine' }).click()
    assert.equal(await page.title(), 'Modifier une réservation régulière — Colomars')
    assert.isTrue(await page.getByLabel('Lundi').isChecked())
    await assertAccessible(page)
    await page.screenshot({ path: `${SHOTS}/pattern-edit-1280.png`, fullPage: true })
    const editUrl = page.url()

    for (const width of [320, 360]) {
      await page.setViewportSize({ width, height: 740 })
      for (const url of [`${new URL(editUrl).origin}/planning/reservations-regulieres`, editUrl]) {
        await page.goto(url)
        const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
        assert.isAtMost(scrollWidth, width, `${url} at ${width} px`)
        await assertAccessible(page)
        if (width === 360) await page.screenshot({ path: `${SHOTS}/${url === editUrl ? 'pattern-edit' : 'patterns'}-360.png`, fullPage: true })
      }
    }

    // stopped from the keyboard: the booked days stay
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`${new URL(editUrl).origin}/planning/reservations-regulieres`)
    await page.getByRole('button', { name: 'Arrêter la réservation régulière de Lya à Cantine' }).focus()
    await page.keyboard.press('Enter')
    // the list answers at its own address: wait for the confirmation, not for the URL
    await page.getByText('aucun nouveau jour ne sera réservé').waitFor()
    const stopped = await page.locator('main').innerText()
    assert.include(stopped, 'les jours déjà réservés le restent, aucun nouveau jour ne sera réservé')
    assert.include(stopped, 'arrêtée le')
    await assertAccessible(page)
    const pattern = await db.from('planning_weekly_patterns').where('child_id', child.id).firstOrFail()
    assert.isNotNull(pattern.stopped_at)
    const booked = await db.from('planning_bookings').where('child_id', child.id).count('* as total').first()
    assert.equal(Number(booked.total), mondaysThursdays.length)
  }).timeout(120_000)
})


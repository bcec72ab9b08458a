import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import communeSettings from '#services/commune_settings'
import { assertAccessible } from '#tests/helpers/browser'
import { createUser } from '#tests/helpers/users'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, createDays, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

function addDays(iso: string, days: number) {
  const date = new Date(`${iso}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

test.group('planning in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars' })
  })

  test('a parent books three days and cancels one in the basket, validates and sees the result; usable at 320 px', async ({ visit, browserContext, assert }) => {
    const activity = await createActivity({ name: 'Vacances' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2017-03-10' }] })
    const child = children[0]
    // a month far enough for every deadline, starting on its 1st
    const first = addDays(dayFromToday(40), 0).slice(0, 8) + '01'
    const days = await createDays(activity, addDays(first, 1), 6)
    const full = await createDay(activity, addDays(first, 8), { room: 0, under6: 0, over6: 0 })
    await bookingService.book(family.id, child.id, days[3].id, { as: 'parent', actor: user })

    await browserContext.loginAs(user)
    const page = await visit(`/planning?vue=mois&date=${first}`)
    assert.equal(await page.title(), 'Planning — Colomars')
    const main = await page.locator('main').innerText()
    assert.include(main, 'Lya — Inscriptions : Vacances')
    assert.include(main, 'Complet')
    assert.include(main, 'Légende')
    await assertAccessible(page)

    const box = (iso: string) => page.locator(`#jour-${child.id}-${iso}`)
    assert.isTrue(await box(days[3].day).isChecked())
    assert.isTrue(await page.locator(`#jour-${child.id}-${full.day}`).count() === 0)
    for (const day of days.slice(0, 3)) await box(day.day).check()
    await box(days[3].day).uncheck()
    const status = page.locator('[data-basket-status]')
    assert.include(await status.innerText(), '3 réservations en attente')
    assert.include(await status.innerText(), '1 annulation en attente')

    await page.getByRole('button', { name: 'VALIDER', exact: true }).click()
    await page.waitForSelector('.planning-results')
    const results = await page.locator('.planning-results').innerText()
    assert.include(results, '4 modifications enregistrées')
    assert.include(results, 'réservé')
    assert.include(results, 'annulé')
    // The result is announced (RGAA 7.5): the title says it first and the focus is on it.
    assert.equal(await page.title(), '4 modifications enregistrées — Planning — Colomars')
    assert.isTrue(await page.evaluate(() => (globalThis as any).document.activeElement?.classList.contains('planning-results')))
    await assertAccessible(page)
    const rows = await db.from('planning_bookings').where('child_id', child.id).orderBy('day')
    assert.deepEqual(rows.map((row) => row.activity_day_id), days.slice(0, 3).map((day) => day.id))
    for (const day of days.slice(0, 3)) assert.isTrue(await box(day.day).isChecked())
    assert.isFalse(await box(days[3].day).isChecked())

    await page.setViewportSize({ width: 320, height: 700 })
    await page.goto(page.url())
    const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
    assert.isAtMost(scrollWidth, 320)
    assert.isTrue(await box(days[4].day).isVisible())
    await assertAccessible(page)
  })

  test('each day reads as one sentence: today said in text, the label follows the box, no empty list items', async ({ visit, browserContext, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Noé', birthDate: '2017-03-10' }] })
    const child = children[0]
    const first = addDays(dayFromToday(40), 0).slice(0, 8) + '01'
    const days = await createDays(activity, addDays(first, 1), 2)
    await bookingService.book(family.id, child.id, days[0].id, { as: 'parent', actor: user })
    await browserContext.loginAs(user)

    const today = dayFromToday(0)
    const current = await visit(`/planning?vue=mois&date=${today}`)
    const todayCell = current.locator('.cal-day--today')
    assert.equal(await todayCell.count(), 1)
    assert.include(await todayCell.innerText(), "Aujourd'hui")
    assert.include(await todayCell.locator('.visually-hidden').first().textContent(), "aujourd'hui")

    const page = await visit(`/planning?vue=mois&date=${first}`)
    const items = await page.evaluate(() =>
      (Array.from((globalThis as any).document.querySelectorAll('.calendar__days > li')) as any[]).map((item) => (item.textContent as string).replace(/\s+/g, ' ').trim())
    )
    assert.isAbove(items.length, 27)
    for (const item of items) assert.isAbove(item.length, 5, `un jour sans texte : « ${item} »`)
    assert.equal(await page.locator('.calendar .cal-mark:not([aria-hidden="true"])').count(), 0)

    const label = (iso: string) => page.locator(`label[for="jour-${child.id}-${iso}"]`)
    assert.include(await label(days[0].day).innerText(), 'Réservé')
    await page.locator(`#jour-${child.id}-${days[0].day}`).uncheck()
    assert.include(await label(days[0].day).innerText(), 'À annuler (non validé)')
    await page.locator(`#jour-${child.id}-${days[1].day}`).check()
    assert.include(await label(days[1].day).innerText(), 'À réserver (non validé)')
    await page.locator(`#jour-${child.id}-${days[0].day}`).check()
    assert.include(await label(days[0].day).innerText(), 'Réservé')
    assert.notInclude(await label(days[0].day).innerText(), 'annuler')
    await assertAccessible(page)
  })

  test('the staff pages are accessible: activities, rules, day sheet, holidays', async ({ visit, browserContext, assert }) => {
    const agent = await createUser('staff', { fullName: 'Agent Planning' })
    const activity = await createActivity({ name: 'Mercredis' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Zoé', birthDate: '2016-02-02' }] })
    const day = await createDay(activity, dayFromToday(20))
    await bookingService.book(family.id, children[0].id, day.id, { as: 'parent', actor: user })
    await browserContext.loginAs(agent)
    for (const url of ['/gestion/planning', `/gestion/planning/activites/${activity.id}`, `/gestion/planning/jours/${day.id}`, '/gestion/planning/vacances']) {
      const page = await visit(url)
      assert.notInclude(await page.locator('main').innerText(), 'Erreur')
      await assertAccessible(page)
    }
  })

  test('the parent pages around the planning are accessible: summary, advanced, calendar, absence', async ({ visit, browserContext }) => {
    const activity = await createActivity({ name: 'Vacances', cancelDeadline: { kind: 'days_before', days: 5, time: '12:00', skipWeekends: false } })
    const { family, user, children } = await registeredFamily(activity)
    const day = await createDay(activity, dayFromToday(2))
    const booked = await bookingService.book(family.id, children[0].id, day.id, { as: 'staff', actor: user, reason: 'test' })
    await browserContext.loginAs(user)
    for (const url of [`/planning/recapitulatif?date=${day.day}`, '/planning/modification-avancee', '/planning/calendrier', `/planning/absences/${booked.ok ? booked.bookingId : 0}`, `/planning?vue=semaine&date=${day.day}`]) {
      const page = await visit(url)
      await assertAccessible(page)
    }
  })
})

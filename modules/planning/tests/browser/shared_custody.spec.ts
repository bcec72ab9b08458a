import { mkdirSync } from 'node:fs'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { Page } from 'playwright'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import { createUser } from '#tests/helpers/users'
import { createActivity, createDays, createFamily, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

const pageWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)

/** With SHOTS_DIR set, the page at 1280 px and 360 px wide (the report's screenshots); the viewport is put back. */
async function shots(page: Page, name: string) {
  const dir = process.env.SHOTS_DIR
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

/** Nothing scrolls sideways at 320 px, and the page stays accessible there. */
async function narrow(page: Page, assert: any) {
  await page.setViewportSize({ width: 320, height: 700 })
  assert.isAtMost(await pageWidth(page), 320)
  await assertAccessible(page)
  await page.setViewportSize({ width: 1280, height: 900 })
}

test.group('Shared custody in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars' })
  })

  test('an agent sets it up from the family file (errors beside the fields first); the other household books its weeks', async ({ visit, browserContext, browser, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const martins = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2016-03-10' }] })
    const duponts = await createFamily({ children: [{ firstName: 'Tom', birthDate: '2015-02-02' }] })
    let monday = DateTime.fromISO(dayFromToday(14))
    monday = monday.minus({ days: monday.weekday - 1 })
    const days = await createDays(activity, monday.toISODate()!, 14)
    const staff = await createUser('staff', { fullName: 'Marc Agent' })

    await browserContext.loginAs(staff)
    const file = await visit(`/gestion/familles/${martins.family.id}`)
    await file.getByRole('link', { name: "Garde alternée de Lya" }).click()
    await file.waitForURL('**/garde-alternee')
    await assertAccessible(file)
    await file.getByLabel("Référence du dossier de l'autre foyer").fill('INCONNU-42')
    await file.getByRole('button', { name: 'ENREGISTRER' }).click()
    await file.waitForSelector('.error-summary')
    assert.include(await file.locator('#field-evenWeeks-error').innerText(), 'Choisissez le foyer des semaines paires.')
    assert.include(await file.locator('#field-startsOn-error').innerText(), 'Indiquez la date de début de la garde alternée.')
    assert.equal(await file.getByLabel("Référence du dossier de l'autre foyer").inputValue(), 'INCONNU-42')
    await assertAccessible(file)

    await file.getByLabel('Foyer des semaines paires').selectOption(monday.weekNumber % 2 === 0 ? 'child_family' : 'other_family')
    await file.getByLabel('Début de la garde alternée').fill(dayFromToday(0))
    await file.getByRole('button', { name: 'ENREGISTRER' }).click()
    await file.waitForSelector('#field-otherFamilyReference-error')
    assert.include(await file.locator('#field-otherFamilyReference-error').innerText(), "Aucun dossier n'a cette référence")
    await assertAccessible(file)
    await narrow(file, assert)
    await shots(file, 'staff-custody-form-errors')

    await file.getByLabel("Référence du dossier de l'autre foyer").fill(duponts.family.reference)
    await file.getByRole('button', { name: 'ENREGISTRER' }).click()
    await file.waitForSelector('#en-cours')
    assert.include(await file.locator('main').innerText(), `avec le dossier ${duponts.family.reference} est enregistrée`)
    await assertAccessible(file)
    await narrow(file, assert)
    await shots(file, 'staff-custody-running')

    // the other household, in its own browser
    const parentContext = await browserAs(browser, duponts.user)
    const planning = await parentContext.visit(`/planning?vue=quinzaine&date=${days[0].day}`)
    const main = await planning.locator('main').innerText()
    assert.include(main, 'Garde alternée : vous réservez les semaines')
    assert.include(main, 'Autre foyer')
    await assertAccessible(planning)
    const theirs = days.slice(7)
    for (const day of theirs.slice(0, 2)) await planning.locator(`input[type="checkbox"][value="${martins.children[0].id}-${day.id}"]`).check()
    assert.equal(await planning.locator(`input[type="checkbox"][value="${martins.children[0].id}-${days[0].id}"]`).count(), 0)
    await planning.getByRole('button', { name: 'VALIDER', exact: true }).click()
    await planning.waitForSelector('text=2 modifications enregistrées')
    await assertAccessible(planning)
    await narrow(planning, assert)
    await shots(planning, 'parent-planning-shared-child')

    const dossier = await parentContext.visit('/dossier')
    assert.include(await dossier.locator('section[aria-labelledby="garde-alternee"]').innerText(), 'Lya Martin, garde alternée')
    await assertAccessible(dossier)
    await narrow(dossier, assert)
    await shots(dossier, 'parent-dossier-shared-child')
    await parentContext.close()
  })
})

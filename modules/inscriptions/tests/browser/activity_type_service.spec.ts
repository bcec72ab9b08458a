import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Page } from 'playwright'
import { VIEWPORTS, DEMO_PASSWORD, checkPage, follow, logInWithForm, pageWidth, seedDemo } from '#tests/browser/journeys/helpers'

const SHOTS = '/work/shots/activity-services'

/** Whether the <img> of that name is loaded (the browser decoded what the route sent). */
function photoShown(page: Page, name: string) {
  return page.getByRole('img', { name, exact: true }).first().evaluate((image: any) => image.complete && image.naturalWidth > 0)
}

test.group('Inscriptions: the service of an activity type, in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const viewport of VIEWPORTS) {
    test(`the agent sees each type's service, is refused a service gone meanwhile, and sees Lya's photo (${viewport.name})`, async ({ visit, assert }) => {
      await seedDemo()
      const page = await visit('/connexion')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await logInWithForm(page, 'agent', DEMO_PASSWORD)

      await page.goto('/gestion/inscriptions/types')
      const types = await page.locator('main table').innerText()
      assert.match(types, /Accueil périscolaire\s+Service Enfance/)
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      await page.screenshot({ path: `${SHOTS}/types-${viewport.width}.png`, fullPage: true })

      await follow(page, page.getByRole('link', { name: 'Accueil périscolaire', exact: true }), /\/modifier$/)
      const select = page.getByLabel('Service', { exact: true })
      assert.equal(await select.locator('option:checked').innerText(), 'Service Enfance')
      // A service deleted while the form was open: the option still sent, refused beside the field.
      await select.evaluate((element: any) => {
        element.options[element.selectedIndex].value = '999999'
      })
      await page.getByLabel('Description').fill('Avant et après la classe')
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }), /\/modifier$/)
      assert.include(await page.locator('#field-serviceId-error').innerText(), 'Choisissez un service de la liste.')
      assert.include(await page.locator('.error-summary').innerText(), 'Service')
      assert.equal(await page.getByLabel('Description').inputValue(), 'Avant et après la classe')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      await page.screenshot({ path: `${SHOTS}/type-form-error-${viewport.width}.png`, fullPage: true })

      await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Service Enfance' })
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }), /\/types$/)
      assert.include(await page.locator('main').innerText(), "Le type d'activité « Accueil périscolaire » est mis à jour.")

      await page.goto('/gestion/inscriptions/activites')
      assert.match(await page.locator('main table').innerText(), /Accueil du matin\s+Accueil périscolaire\s+Service Enfance/)
      await checkPage(page)
      await page.screenshot({ path: `${SHOTS}/activities-${viewport.width}.png`, fullPage: true })

      // Lya goes to the morning care run by the agent's service: her photo is on the family file.
      await page.goto('/gestion/familles?q=Guerucci')
      await follow(page, page.locator('main table').getByRole('link').first())
      assert.isTrue(await photoShown(page, 'Lya'))
      await checkPage(page)
    })
  }
})

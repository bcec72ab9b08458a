import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import type { Page } from 'playwright'
import { VIEWPORTS, DEMO_PASSWORD, checkPage, follow, logInWithForm, pageWidth, seedDemo } from '#tests/browser/journeys/helpers'

const PNG = readFileSync(app.makePath('modules/dossier/tests/fixtures', 'photo.png'))
const SHOTS = '/work/shots/children-cards'

/** Whether the <img> of that name is loaded (the browser decoded what the route sent). */
function photoShown(page: Page, name: string) {
  return page.getByRole('img', { name, exact: true }).first().evaluate((image: any) => image.complete && image.naturalWidth > 0)
}

test.group('Dossier: « Mes enfants » in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const viewport of VIEWPORTS) {
    test(`the children's cards, from the home page; a photo refused then added (${viewport.name})`, async ({ visit, assert }) => {
      await seedDemo()
      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await logInWithForm(page, 'parent', DEMO_PASSWORD)
      await page.waitForURL(/\/accueil$/)
      const home = page.locator('section.dossier-children')
      assert.isTrue(await photoShown(page, 'Lya'))
      assert.include(await home.innerText(), 'Mael')
      await checkPage(page)

      await follow(page, home.getByRole('link', { name: 'Toutes les fiches de mes enfants' }), /\/dossier\/enfants$/)
      assert.equal(await page.title(), 'Mes enfants — Colomars')
      const cards = await page.locator('main').innerText()
      for (const words of ['Lya Guerucci', 'École du Village, CM2', 'Régime : sans porc', 'Mael Guerucci', "PAI (projet d'accueil individualisé)", '— inscription validée']) {
        assert.include(cards, words)
      }
      assert.isTrue(await photoShown(page, 'Lya'))
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      await page.screenshot({ path: `${SHOTS}/mes-enfants-${viewport.width}.png`, fullPage: true })

      // Mael has no photo yet: a text renamed .jpg is refused beside the field, then a PNG goes
      await follow(page, page.getByRole('link', { name: 'Ajouter une photo de Mael' }), /\/photo\/modifier$/)
      assert.include(await page.locator('#field-photo-hint').innerText(), '5 Mo')
      await page.locator('#field-photo').setInputFiles({ name: 'mael.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('pas une image') })
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }), /\/photo\/modifier$/)
      assert.include(await page.locator('#field-photo-error').innerText(), "n'est pas une image JPEG, PNG ou WebP lisible")
      assert.include(await page.locator('.error-summary').innerText(), 'Photo')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      await page.screenshot({ path: `${SHOTS}/photo-refusee-${viewport.width}.png`, fullPage: true })

      await page.locator('#field-photo').setInputFiles({ name: 'mael.png', mimeType: 'image/png', buffer: PNG })
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }), /\/dossier\/enfants$/)
      assert.include(await page.locator('main').innerText(), 'La photo de Mael est ajoutée.')
      assert.isTrue(await photoShown(page, 'Mael'))
      await checkPage(page)

      // at 320 px nothing scrolls sideways, on the cards and on the photo form
      await page.setViewportSize({ width: 320, height: 640 })
      assert.isAtMost(await pageWidth(page), 320)
      await follow(page, page.getByRole('link', { name: 'Changer ou supprimer la photo de Mael' }), /\/photo\/modifier$/)
      assert.isAtMost(await pageWidth(page), 320)
      await checkPage(page)
      await follow(page, page.getByRole('button', { name: 'SUPPRIMER LA PHOTO' }), /\/dossier\/enfants$/)
      assert.include(await page.locator('main').innerText(), 'La photo de Mael est supprimée.')
    })
  }
})

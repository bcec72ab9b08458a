import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { AuthorizedPerson, Family } from '#modules/dossier/index'
import { GOOD_PASSWORD, clearOutbox, linkIn, mailsTo } from '#modules/accounts/tests/helpers'
import { VIEWPORTS, DEMO_PASSWORD, checkPage, follow, logInWithForm, pageWidth, seedDemo } from './helpers.js'

/** Where the screenshots of the new pages go (listed in the report of issue 19). */
const SHOTS = process.env.PICKUP_SHOTS_DIR ?? '/work/shots/authorized-access'

test.group('Parcours — un accès en lecture pour une personne autorisée', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => clearOutbox())

  for (const viewport of VIEWPORTS) {
    test(`le responsable invite, la personne active son accès et voit ses jours, le responsable révoque (${viewport.name})`, async ({ visit, browser, assert }) => {
      await seedDemo()
      await mkdir(SHOTS, { recursive: true })
      const shot = (page: any, name: string) => page.screenshot({ path: `${SHOTS}/${name}-${viewport.width}.png`, fullPage: true })
      const family = await Family.findByOrFail('reference', 'DEMO-001')
      await AuthorizedPerson.create({ familyId: family.id, lastName: 'Guerucci', firstName: 'Marcel', phone: '06 55 44 33 22', relationship: 'grand-père', mayPickUp: true, emergencyContact: false })
      const email = `marcel.${viewport.width}@exemple.fr`

      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await logInWithForm(page, 'parent', DEMO_PASSWORD)
      await page.goto(new URL('/dossier/coordonnees', page.url()).href)
      await checkPage(page)
      await follow(page, page.locator('main').getByRole('link', { name: 'Inviter Marcel Guerucci' }), /\/acces$/)
      await checkPage(page)

      // a wrong address first: refused beside the field, the choices kept
      await page.locator('#field-email').fill('marcel@')
      await page.locator('#weekday-3').check()
      await follow(page, page.getByRole('button', { name: "ENVOYER L'INVITATION" }), /\/acces$/)
      assert.include(await page.locator('.error-summary').innerText(), 'Adresse électronique')
      assert.isTrue(await page.locator('#weekday-3').isChecked())
      await checkPage(page)

      await page.locator('#field-email').fill(email)
      await page.locator('#weekday-3').uncheck()
      const mael = page.getByLabel('Mael', { exact: true })
      await mael.uncheck()
      await follow(page, page.getByRole('button', { name: "ENVOYER L'INVITATION" }), /\/acces$/)
      const invited = await page.locator('main').innerText()
      assert.include(invited, `L'invitation a été envoyée à ${email}`)
      assert.include(invited, 'invitée')
      assert.isAtMost(await pageWidth(page), viewport.width)
      await checkPage(page)
      await shot(page, 'acces-en-lecture-responsable')

      // the person, in their own browser, from the mailed link
      const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: viewport.width, height: viewport.height } })
      const reader = await context.newPage()
      await reader.goto(linkIn((await mailsTo(email)).pop()!, '/activation'))
      await checkPage(reader)
      await reader.locator('#field-cgu').check()
      await reader.locator('#field-password').fill(GOOD_PASSWORD)
      await reader.locator('#field-password_confirmation').fill(GOOD_PASSWORD)
      await Promise.all([reader.waitForEvent('load'), reader.getByRole('button', { name: 'ACTIVER MON COMPTE' }).click()])
      await reader.waitForURL(/\/recuperations$/)
      const days = await reader.locator('main').innerText()
      assert.include(days, 'Votre accès est activé')
      assert.include(days, 'Lya')
      assert.notInclude(days, 'Mael')
      assert.deepEqual(await reader.locator('nav.main-nav a').allInnerTexts(), ['ACCUEIL'], 'no menu of the family pages')
      assert.isAtMost(await pageWidth(reader), viewport.width)
      await checkPage(reader)
      await shot(reader, 'jours-de-recuperation')
      if (viewport.width === 360) {
        await reader.setViewportSize({ width: 320, height: 640 })
        assert.isAtMost(await pageWidth(reader), 320)
        await checkPage(reader)
        await reader.setViewportSize({ width: viewport.width, height: viewport.height })
      }

      // the guardian sees the access active, and closes it
      await page.reload()
      assert.include(await page.locator('main').innerText(), 'active')
      await follow(page, page.getByRole('button', { name: "RÉVOQUER L'ACCÈS" }), /\/acces$/)
      assert.include(await page.locator('main').innerText(), 'révoquée')
      await checkPage(page)

      await Promise.all([reader.waitForEvent('load'), reader.reload()])
      await reader.waitForURL(/\/connexion$/)
      // its session was ended server-side: the person is a visitor again
      assert.include(await reader.locator('main').innerText(), 'Connexion')
      await checkPage(reader)
      await context.close()
    }).timeout(120_000)
  }
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { VIEWPORTS, checkPage, follow, menuLink, pageWidth, seedDemo } from './helpers.js'

test.group('Parcours 5 — sans se connecter : les actualités et le simulateur de tarifs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const viewport of VIEWPORTS) {
    test(`lire une actualité puis estimer ses tarifs (${viewport.name})`, async ({ visit, assert }) => {
      await seedDemo()
      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      assert.equal(await page.title(), 'Accueil — Colomars')
      assert.include(await page.locator('main').innerText(), 'CONNECTEZ-VOUS')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      await follow(page, menuLink(page, 'ACTUALITÉS'), /\/actualites$/)
      assert.equal(await page.title(), 'Actualités — Colomars')
      await checkPage(page)
      const article = page.locator('main').getByRole('link', { name: /Bienvenue à Colomars/ }).first()
      await follow(page, article, /\/actualites\/[a-z0-9-]+$/)
      assert.equal(await page.locator('h1').innerText(), 'Bienvenue à Colomars !')
      assert.equal(await page.title(), 'Bienvenue à Colomars ! — Colomars')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      await follow(page, menuLink(page, 'SIMULATIONS TARIFAIRES'), /\/simulateur-tarifaire$/)
      await checkPage(page)
      // a known quotient
      await page.getByLabel('Quotient familial (en euros)').fill('850')
      await follow(page, page.locator('main').getByRole('button', { name: 'CALCULER' }), (url) => url.pathname === '/simulateur-tarifaire' && url.search.includes('qf=850'))
      const known = await page.locator('main').innerText()
      assert.match(known, /quotient familial de 850\s€/)
      assert.include(known, 'Restauration scolaire')
      assert.match(known, /\d+,\d{2}\s€/)
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      // or computed from the household's resources
      await page.getByLabel('Quotient familial (en euros)').fill('')
      await page.getByLabel('Revenus annuels imposables du foyer (en euros)').fill('36 000')
      await page.getByLabel('Prestations familiales mensuelles (en euros)').fill('150')
      await page.getByLabel("Nombre d'enfants à charge").fill('2')
      await follow(page, page.locator('main').getByRole('button', { name: 'CALCULER' }), (url) => url.search.includes('children=2'))
      assert.match(await page.locator('main').innerText(), /quotient familial de 1\u202f050\s€/)
      await checkPage(page)

      // still a visitor: the menu offers to log in, not the family space
      assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).count(), 1)
      await follow(page, menuLink(page, 'ACCUEIL'), (url) => url.pathname === '/')
      await checkPage(page)
    })
  }
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import Invoice from '#modules/billing/models/invoice'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import { canteenTariff, createActivity, familyWithInvoice } from '#modules/billing/tests/factories'
import { assertAccessible } from '#tests/helpers/browser'
import { pdfCatalog } from '#modules/billing/tests/pdf_structure'

test.group('billing in Chromium', (group) => {
  const payfip = usePayfipSimulator(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    payfip.simulator.operations.clear()
    await communeSettings.update({ name: 'Colomars' })
  })

  test('a parent opens FACTURATION, pays an invoice through the PayFiP simulator and sees it paid', async ({ visit, browserContext, assert }) => {
    const { parent, invoice } = await familyWithInvoice(4)
    await browserContext.loginAs(parent!)
    const page = await visit('/accueil')
    assert.include(await page.locator('main').innerText(), '1 facture à payer')
    await assertAccessible(page)

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'FACTURATION' }).click()
    await page.waitForURL('**/facturation')
    assert.equal(await page.title(), 'Mes factures — Colomars')
    assert.include(await page.locator('main').innerText(), `Facture n° ${invoice.number}`)
    await assertAccessible(page)

    await page.getByRole('link', { name: `Facture n° ${invoice.number}`, exact: true }).click()
    await page.waitForURL(`**/facturation/${invoice.id}`)
    await assertAccessible(page)
    // The PDF the page links to is a tagged PDF (RGAA 13.3), and the page shows what it says.
    const pdfLink = page.getByRole('link', { name: 'TÉLÉCHARGER LE PDF' })
    const download = await page.request.get(new URL((await pdfLink.getAttribute('href'))!, page.url()).href)
    const catalog = pdfCatalog(await download.body())
    assert.match(catalog.markInfo ?? '', /\/Marked\s+true/)
    assert.equal(catalog.lang, '(fr-FR)')
    assert.match(catalog.viewerPreferences ?? '', /\/DisplayDocTitle\s+true/)
    const invoiceText = await page.locator('main').innerText()
    assert.match(invoiceText, /Quotient familial retenu\s+1\s000\s€/)
    assert.match(invoiceText, new RegExp(`Référence PayFiP\\s+F${invoice.number.replace(/[^A-Za-z0-9]/g, '')}`))
    await page.getByRole('button', { name: /^PAYER 12,20/ }).click()

    // PayFiP (simulated): its own page, with the amount and the choices.
    await page.waitForURL(`${payfip.simulator.url}/tpa/paiementws.web?idop=*`)
    assert.include(await page.locator('main').innerText(), '12,20 €')
    await assertAccessible(page)
    await page.getByRole('button', { name: 'Payer par carte' }).click()

    await page.waitForURL(`**/facturation/${invoice.id}`)
    const main = await page.locator('main').innerText()
    assert.include(main, 'Votre paiement est enregistré : merci.')
    assert.include(main, 'payée')
    assert.notInclude(main, 'Payer en ligne')
    await assertAccessible(page)
    const fresh = await Invoice.findOrFail(invoice.id)
    assert.equal(fresh.status, 'paid')

    await page.getByRole('link', { name: 'FACTURATION', exact: true }).first().click()
    await page.waitForURL('**/facturation')
    assert.include(await page.locator('main').innerText(), 'Carte bancaire (PayFiP)')
    await assertAccessible(page)
  })

  test('the public tariff simulator works with and without JavaScript', async ({ browser, visit, assert }) => {
    const activity = await createActivity('Restauration scolaire')
    await canteenTariff(activity.id)
    const page = await visit('/simulateur-tarifaire')
    await assertAccessible(page)
    const origin = new URL(page.url()).origin

    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' })
      const tab = await context.newPage()
      await tab.goto(`${origin}/simulateur-tarifaire`)
      await tab.getByLabel('Revenus annuels imposables du foyer (en euros)').fill('36 000')
      await tab.getByLabel('Prestations familiales mensuelles (en euros)').fill('150')
      await tab.getByLabel("Nombre d'enfants à charge").fill('2')
      await Promise.all([tab.waitForURL((url) => url.pathname === '/simulateur-tarifaire' && url.search.includes('children=2')), tab.getByRole('button', { name: 'CALCULER' }).click()])
      const text = await tab.locator('main').innerText()
      assert.include(text, 'quotient familial de 1\u202f050\u00a0€', `JavaScript ${javaScriptEnabled}`)
      assert.match(text, /3,05\s€\s+le repas/)
      // axe runs as a script: only where scripts run (the pages are the same).
      if (javaScriptEnabled) await assertAccessible(tab)

      await tab.getByLabel('Quotient familial (en euros)').fill('beaucoup')
      await Promise.all([tab.waitForURL((url) => url.search.includes('qf=beaucoup')), tab.getByRole('button', { name: 'CALCULER' }).click()])
      assert.include(await tab.locator('main').innerText(), 'Indiquez un quotient en euros')
      if (javaScriptEnabled) await assertAccessible(tab)
      await context.close()
    }
  })
})

import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import communeSettings from '#services/commune_settings'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { createUser } from '#tests/helpers/users'
import { assertAccessible } from '#tests/helpers/browser'

test.group('SEPA debits in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars', contacts: [{ label: 'Mairie', phone: '04 93 00 00 01', address: '1 place de la Mairie, 06670 Colomars' }] })
  })

  test('the parent sees the next debit on the invoice, without PAYER', async ({ visit, browserContext, assert }) => {
    const { parent, invoice } = await familyWithInvoice(4, { mandate: {} })
    await browserContext.loginAs(parent!)
    const page = await visit('/facturation')
    assert.include(await page.locator('main').innerText(), 'prélevée le 10/11/2026')
    await page.getByRole('link', { name: `Facture n° ${invoice.number}`, exact: true }).click()
    await page.waitForURL(`**/facturation/${invoice.id}`)
    const main = await page.locator('main').innerText()
    assert.include(main, 'Cette facture sera prélevée le 10/11/2026 : 12,20')
    assert.equal(await page.getByRole('button', { name: /^PAYER/ }).count(), 0)
    await assertAccessible(page)
  })

  test('staff preview the month, correct a too-early date from the error summary, create and see the file', async ({ visit, browserContext, assert }) => {
    await familyWithInvoice(4, { mandate: {}, lastName: "O'Brien" })
    const agent = await createUser('staff')
    await browserContext.loginAs(agent)
    const page = await visit('/gestion/facturation/prelevements?month=2026-09')
    assert.include(await page.locator('main').innerText(), 'Factures à prélever de septembre 2026 (aperçu)')
    await assertAccessible(page)

    await page.getByRole('button', { name: 'CRÉER LE FICHIER DE PRÉLÈVEMENT' }).click()
    await page.waitForURL('**/gestion/facturation/prelevements?month=2026-09')
    assert.include(await page.locator('[data-error-summary]').innerText(), 'Date de prélèvement : La date de prélèvement du 10/11/2026 est trop proche')
    await assertAccessible(page)

    const date = DateTime.now().setZone('Europe/Paris').plus({ days: 5 }).toISODate()!
    await page.getByLabel('Date de prélèvement').fill(date)
    await page.getByRole('button', { name: 'CRÉER LE FICHIER DE PRÉLÈVEMENT' }).click()
    await page.waitForURL('**/gestion/facturation/prelevements?month=2026-09')
    assert.include(await page.locator('main').innerText(), 'Fichier de prélèvement de septembre 2026 créé : 1 prélèvement')
    assert.lengthOf(await db.from('sepa_debit_batches'), 1)
    assert.equal(await page.getByRole('link', { name: 'TÉLÉCHARGER LE FICHIER (pain.008)' }).count(), 1)
    await assertAccessible(page)
    await page.setViewportSize({ width: 320, height: 800 })
    assert.isAtMost(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number), 320)
  })
})

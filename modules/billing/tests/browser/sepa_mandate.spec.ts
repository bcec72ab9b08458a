import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import { createFamily } from '#modules/billing/tests/factories'
import { assertAccessible } from '#tests/helpers/browser'

test.group('SEPA mandate in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await communeSettings.update({ name: 'Colomars', contacts: [{ label: 'Mairie', phone: '04 93 00 00 01', address: '1 place de la Mairie, 06670 Colomars' }] })
  })

  test('a parent goes from FACTURATION to the mandate, corrects a wrong IBAN, signs, then revokes', async ({ visit, browserContext, assert }) => {
    const { parent, family } = await createFamily()
    await browserContext.loginAs(parent!)
    const page = await visit('/facturation')
    await page.locator('main').getByRole('link', { name: 'Prélèvement automatique' }).click()
    await page.waitForURL('**/facturation/prelevement')
    assert.equal(await page.title(), 'Prélèvement automatique — Colomars')
    assert.include(await page.locator('main').innerText(), '1 place de la Mairie, 06670 Colomars')
    await assertAccessible(page)

    await page.getByRole('textbox', { name: 'Titulaire du compte' }).fill('Camille Martin')
    await page.getByRole('textbox', { name: 'IBAN', exact: true }).fill('FR76 3000 6000 0112 3456 7890 18')
    await page.getByLabel(/je signe ce mandat/).check()
    await page.getByRole('button', { name: 'SIGNER LE MANDAT' }).click()
    await page.waitForURL('**/facturation/prelevement')
    const summary = page.locator('[data-error-summary]')
    assert.include(await summary.innerText(), "IBAN : L'IBAN doit compter 27 caractères pour la France (FR) : vous en avez saisi 26.")
    assert.equal(await page.getByRole('textbox', { name: 'IBAN', exact: true }).inputValue(), 'FR76 3000 6000 0112 3456 7890 18')
    assert.equal(await page.getByRole('textbox', { name: 'IBAN', exact: true }).getAttribute('aria-invalid'), 'true')
    await assertAccessible(page)
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)

    await page.getByRole('textbox', { name: 'IBAN', exact: true }).fill('FR76 3000 6000 0112 3456 7890 189')
    await page.getByRole('button', { name: 'SIGNER LE MANDAT' }).click()
    await page.waitForURL('**/facturation/prelevement')
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    const main = await page.locator('main').innerText()
    assert.include(main, `sa référence (RUM) est ${mandate.rum}`)
    assert.include(main, 'FR76 •••• •••• •••• •••• •••• 189')
    assert.include(main, 'Changer de compte')
    await assertAccessible(page)

    await page.getByLabel(/Je confirme la révocation/).check()
    await page.getByRole('button', { name: 'RÉVOQUER LE MANDAT' }).click()
    await page.waitForURL('**/facturation/prelevement')
    assert.include(await page.locator('main').innerText(), `Mandat ${mandate.rum} révoqué`)
    assert.equal((await SepaMandate.findOrFail(mandate.id)).status, 'revoked')
    assert.include(await page.locator('main').innerText(), 'terminé : révoqué le')
    await assertAccessible(page)

    // The revoked mandate's PDF stays in the family's documents.
    await visit('/dossier/documents').then(async (documents) => {
      const link = documents.getByRole('link', { name: `Mandat SEPA ${mandate.rum}.pdf` })
      assert.equal(await link.getAttribute('href'), `/dossier/documents/${mandate.documentId}/telecharger`)
      await assertAccessible(documents)
    })
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { assertAccessible } from '#tests/helpers/browser'
import { makeFamily } from '#modules/dossier/tests/fixtures'
import { IDENTITIES, useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'

test.group('Dossier in Chromium: the family quotient from the CAF/MSA', (group) => {
  useApiParticulierStandin(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a parent fetches their QF with consent, reads it, confirms it; every page accessible, a refusal too', async ({ visit, browserContext, assert }) => {
    const mine = await makeFamily('Roux')
    await browserContext.loginAs(mine.user)
    const page = await visit('/dossier')
    await page.getByRole('link', { name: 'Récupérer mon quotient familial' }).click()
    await page.waitForURL('**/dossier/quotient-familial')
    await assertAccessible(page)

    const identity = IDENTITIES.msa150
    await page.getByLabel('Nom de naissance').fill(identity.birthName)
    await page.getByLabel('Prénoms').fill(identity.firstNames)
    await page.getByLabel("Sexe à l'état civil").selectOption(identity.sex)
    await page.getByLabel('Date de naissance').fill(identity.birthDate)
    await page.getByLabel('Commune de naissance (code INSEE)').fill(identity.birthCommuneCode)
    // Without the box ticked: refused, the error beside it, the input kept.
    await page.getByRole('button', { name: 'RÉCUPÉRER MON QUOTIENT FAMILIAL' }).click()
    await page.waitForSelector('.error-summary')
    assert.include(await page.locator('.error-summary').innerText(), 'Votre accord')
    assert.equal(await page.getByLabel('Nom de naissance').inputValue(), identity.birthName)
    await assertAccessible(page)

    await page.getByLabel("J'accepte que le portail demande mon quotient familial").check()
    await page.getByRole('button', { name: 'RÉCUPÉRER MON QUOTIENT FAMILIAL' }).click()
    await page.waitForURL('**/resultat/*')
    const result = await page.locator('main').innerText()
    assert.include(result, '150')
    assert.include(result, 'MSA')
    await assertAccessible(page)

    await page.getByRole('button', { name: 'CONFIRMER' }).click()
    await page.waitForURL('**/dossier')
    assert.include(await page.locator('main').innerText(), "s'applique aux factures à partir de")
    assert.include(await page.locator('#quotient').locator('..').innerText(), '150')
    await assertAccessible(page)

    // Refused by the CAF/MSA: the reason in words, nothing changed.
    await visit('/dossier/quotient-familial').then(async (form) => {
      await form.getByLabel('Nom de naissance').fill(IDENTITIES.notFound.birthName)
      await form.getByLabel('Prénoms').fill(IDENTITIES.notFound.firstNames)
      await form.getByRole('button', { name: 'RÉCUPÉRER MON QUOTIENT FAMILIAL' }).click()
      await form.waitForSelector('.alert')
      assert.include(await form.locator('main').innerText(), 'Identité non trouvée')
      await assertAccessible(form)
    })
  })
})

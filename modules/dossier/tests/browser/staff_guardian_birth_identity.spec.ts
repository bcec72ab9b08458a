import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { assertAccessible } from '#tests/helpers/browser'
import { makeFamily, makeStaff } from '#modules/dossier/tests/fixtures'

test.group('Dossier in Chromium: staff enter a guardian’s birth identity', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('from the file, a refusal beside the fields with the input kept, then saved; every page accessible', async ({ visit, browserContext, assert }) => {
    const staff = await makeStaff()
    const { family, guardian } = await makeFamily('Rossi')
    await browserContext.loginAs(staff)
    const page = await visit(`/gestion/familles/${family.id}`)
    await page.getByRole('link', { name: `Saisir ou corriger l'identité de naissance de ${guardian.fullName}` }).click()
    await page.waitForURL('**/identite-de-naissance')
    await assertAccessible(page)

    await page.getByLabel('Nom de naissance').fill('ROSSI')
    await page.getByLabel('Prénoms de naissance').fill('Christine Marie')
    await page.getByLabel("Sexe à l'état civil").selectOption('F')
    await page.getByLabel('Date de naissance').fill('1984-04-12')
    await page.getByLabel('Pays de naissance (code INSEE)').fill('99100')
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForSelector('.error-summary')
    assert.include(await page.locator('.error-summary').innerText(), 'Commune de naissance (code INSEE)')
    assert.equal(await page.getByLabel('Nom de naissance').inputValue(), 'ROSSI')
    await assertAccessible(page)

    await page.getByLabel('Commune de naissance (code INSEE)').fill('06088')
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForURL(`**/gestion/familles/${family.id}`)
    const main = await page.locator('main').innerText()
    assert.include(main, "L'identité de naissance de")
    assert.include(main, 'ROSSI Christine Marie, née le 12/04/1984')
    await assertAccessible(page)
  })
})

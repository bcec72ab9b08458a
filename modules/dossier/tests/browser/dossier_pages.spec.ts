import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { assertAccessible } from '#tests/helpers/browser'
import historyService from '#modules/dossier/services/history_service'
import { makeFamily, makeStaff } from '#modules/dossier/tests/fixtures'

test.group('Dossier in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every parent page of MON DOSSIER is accessible, a refused form too', async ({ visit, browserContext, assert }) => {
    const mine = await makeFamily('Dupont')
    await historyService.record(mine.family.id, { module: 'inscriptions', kind: 'test', text: "Demande d'inscription à l'activité Vacances (Lya)" })
    await browserContext.loginAs(mine.user)
    for (const url of ['/accueil', '/dossier', '/dossier/coordonnees', '/dossier/documents', '/dossier/demarches', '/dossier/demande', '/dossier/personnes-autorisees/nouvelle']) {
      const page = await visit(url)
      await assertAccessible(page)
    }
    const page = await visit('/dossier/coordonnees')
    await page.locator('#field-postalCode').fill('12')
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForSelector('.error-summary')
    assert.include(await page.locator('.error-summary').innerText(), 'Code postal')
    await assertAccessible(page)
  })

  test('the staff pages of Familles are accessible', async ({ visit, browserContext }) => {
    const mine = await makeFamily('Dupont')
    const staff = await makeStaff()
    await browserContext.loginAs(staff)
    for (const url of [
      '/gestion/familles',
      '/gestion/familles?q=dupont',
      '/gestion/familles/nouvelle',
      `/gestion/familles/${mine.family.id}`,
      `/gestion/familles/${mine.family.id}/modifier`,
      `/gestion/familles/${mine.family.id}/enfants/nouveau`,
      `/gestion/familles/${mine.family.id}/enfants/${mine.child.id}/modifier`,
      `/gestion/familles/${mine.family.id}/documents/${mine.document.id}/refuser`,
    ]) {
      const page = await visit(url)
      await assertAccessible(page)
    }
  })
})

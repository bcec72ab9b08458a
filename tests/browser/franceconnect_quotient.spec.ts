import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible } from '#tests/helpers/browser'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import { LINKABLE, useFranceConnectStandIn } from '#modules/accounts/tests/franceconnect'
import { useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'
import { FRANCECONNECT_QUOTIENT_PATH } from '#modules/dossier/api_particulier/config'
import { createFamily } from '#tests/helpers/factories'
import { CGU_VERSION } from '#modules/accounts/index'

test.group('FranceConnect and API Particulier in Chromium', (group) => {
  const api = useApiParticulierStandin(group)
  useFranceConnectStandIn(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.each.setup(() => useColomars())

  test('signed in with FranceConnect, the QF is fetched with its authorisation: no identity to type; pages accessible', async ({ visit, assert }) => {
    const { users } = await createFamily({
      lastName: 'Guerucci',
      family: { familyQuotient: 850 },
      guardians: [{ firstName: 'Christine', lastName: 'Guerucci', birthDate: LINKABLE.birthdate, account: { state: 'active', cguVersion: CGU_VERSION, cguAcceptedAt: DateTime.utc() } }],
    })
    await FranceconnectLink.create({ userId: users[0].id, sub: LINKABLE.sub, linkedAt: DateTime.utc() })

    const page = await visit('/connexion')
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click()
    await page.waitForURL(/\/interaction\//)
    assert.include(await page.locator('main').innerText(), 'cnaf_quotient_familial')
    await page.getByLabel(new RegExp(LINKABLE.family_name)).check()
    await page.getByRole('button', { name: /Continuer sur/ }).click()
    await page.waitForURL(/\/accueil$/)

    await page.goto('/dossier/quotient-familial')
    assert.include(await page.locator('main').innerText(), 'Vous êtes connecté avec FranceConnect')
    assert.equal(await page.getByLabel('Nom de naissance').count(), 0)
    await assertAccessible(page)
    await page.getByRole('button', { name: 'RÉCUPÉRER MON QUOTIENT FAMILIAL' }).click()
    await page.waitForSelector('.error-summary')
    await assertAccessible(page)
    await page.getByLabel("J'accepte que le portail demande mon quotient familial").check()
    await page.getByRole('button', { name: 'RÉCUPÉRER MON QUOTIENT FAMILIAL' }).click()
    await page.waitForURL('**/resultat/*')
    assert.include(await page.locator('main').innerText(), '650')
    assert.equal(api.standin.calls.at(-1)!.path, FRANCECONNECT_QUOTIENT_PATH)
    await assertAccessible(page)
  })
})

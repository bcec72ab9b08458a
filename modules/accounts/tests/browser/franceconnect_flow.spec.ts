import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import type { Page } from 'playwright'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible } from '#tests/helpers/browser'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import tokens from '#modules/accounts/services/token_service'
import { GOOD_PASSWORD, makeUser } from '#modules/accounts/tests/helpers'
import { LINKABLE, UNKNOWN, useFranceConnectStandIn } from '#modules/accounts/tests/franceconnect'

/** On the local FranceConnect's page: who to be, then back to the portal. */
async function pickAtFranceConnect(page: Page, identity: typeof LINKABLE) {
  await page.waitForURL(/\/interaction\//)
  await page.getByLabel(new RegExp(identity.family_name)).check()
  await page.getByRole('button', { name: /Continuer sur/ }).click()
}

async function signOutThroughFranceConnect(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click()
  await page.waitForURL(/\/api\/v2\/session\/end/)
  await page.getByRole('button', { name: 'Se déconnecter' }).click()
  await page.waitForURL((url) => url.pathname === '/')
}

test.group('FranceConnect in Chromium', (group) => {
  useFranceConnectStandIn(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.each.setup(() => useColomars())

  test('link FranceConnect from Mon compte, sign out, sign in with FranceConnect; an unknown identity is refused', async ({ visit, assert }) => {
    const user = await makeUser({ fullName: 'Christine Guerucci' })
    const page = await visit('/connexion')
    await assertAccessible(page)
    assert.equal(await page.getByRole('link', { name: 'Qu’est-ce que FranceConnect ?' }).count(), 1)
    await page.locator('#field-username').fill(user.username)
    await page.locator('#field-password').fill(GOOD_PASSWORD)
    await page.getByRole('button', { name: 'SE CONNECTER' }).click()
    await page.waitForURL(/\/accueil$/)

    await page.goto('/mon-compte')
    await assertAccessible(page)
    await page.locator('#field-franceconnect_password').fill(GOOD_PASSWORD)
    await page.getByRole('button', { name: 'RELIER FRANCECONNECT' }).click()
    await pickAtFranceConnect(page, LINKABLE)
    await page.waitForURL(/\/mon-compte$/)
    assert.include(await page.locator('main').innerText(), 'FranceConnect est relié à votre compte')
    await assertAccessible(page)
    assert.isNotNull(await FranceconnectLink.findBy('userId', user.id))

    await page.getByRole('link', { name: 'Délier FranceConnect' }).click()
    await page.waitForURL(/\/mon-compte\/franceconnect\/delier$/)
    await assertAccessible(page)
    await page.goto('/mon-compte')

    // FranceConnect was used in this session (to link): signing out goes through it too.
    await signOutThroughFranceConnect(page)

    await page.goto('/connexion')
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click()
    await pickAtFranceConnect(page, LINKABLE)
    await page.waitForURL(/\/accueil$/)
    await assertAccessible(page)

    await signOutThroughFranceConnect(page)
    assert.include(await page.locator('main').innerText(), 'déconnecté du portail et de FranceConnect')
    await page.goto('/mon-compte')
    await page.waitForURL(/\/connexion$/)

    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click()
    await pickAtFranceConnect(page, UNKNOWN)
    await page.waitForURL(/\/connexion\/franceconnect\/inconnue$/)
    assert.include(await page.locator('h1').innerText(), 'Aucun compte n’est relié')
    await assertAccessible(page)

    // Cancelling at FranceConnect: a sentence on the login page.
    await page.goto('/connexion')
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click()
    await page.waitForURL(/\/interaction\//)
    await page.getByRole('button', { name: 'Annuler et revenir' }).click()
    await page.waitForURL(/\/connexion$/)
    assert.include(await page.locator('.error-summary').innerText(), 'Vous avez annulé la connexion avec FranceConnect')
    await assertAccessible(page)
  })

  test('the mailed link confirmation page and a used or unknown link pass axe-core', async ({ visit, assert }) => {
    const user = await makeUser()
    const { token } = await tokens.issue(user.id, 'franceconnect_link', { hours: 24 }, { payload: LINKABLE.sub })
    const page = await visit(`/connexion/franceconnect/relier/${token}`)
    await assertAccessible(page)
    await page.getByRole('button', { name: 'RELIER FRANCECONNECT' }).click()
    await page.waitForURL(/\/connexion$/)
    assert.include(await page.locator('main').innerText(), 'FranceConnect est relié à votre compte')
    const used = await visit(`/connexion/franceconnect/relier/${token}`)
    assert.include(await used.locator('h1').innerText(), 'déjà servi')
    await assertAccessible(used)
  })
})

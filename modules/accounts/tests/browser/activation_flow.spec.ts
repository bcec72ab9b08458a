import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import accountService from '#modules/accounts/services/account_service'
import { GOOD_PASSWORD, clearOutbox, linkIn, mailsTo } from '#modules/accounts/tests/helpers'

test.group('Accounts in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.each.setup(async () => {
    await clearOutbox()
    await useColomars()
  })

  test('a parent activates from the mailed link, logs out and logs in again', async ({ visit, assert }) => {
    const user = await accountService.createPendingAccount({ email: 'lya.maman@exemple.fr', fullName: 'Sophie Navigateur', role: 'parent' })
    await accountService.sendActivation(user)
    const [mail] = await mailsTo('lya.maman@exemple.fr')
    assert.include(mail, 'Colomars')
    const link = linkIn(mail, '/activation')

    const page = await visit(link)
    assert.equal(await page.title(), 'Activation de votre compte — Colomars')
    await assertAccessible(page)

    // a refused submit keeps the page usable and accessible, errors announced
    await page.locator('#field-password').fill('trop court')
    await page.locator('#field-password_confirmation').fill('trop court')
    await page.getByRole('button', { name: 'ACTIVER MON COMPTE' }).click()
    await page.waitForURL(/\/activation\//)
    assert.include(await page.locator('.error-summary').innerText(), 'Le formulaire contient 2 erreurs')
    await assertAccessible(page)

    await page.locator('#field-cgu').check()
    await page.locator('#field-password').fill(GOOD_PASSWORD)
    await page.locator('#field-password_confirmation').fill(GOOD_PASSWORD)
    await page.getByRole('button', { name: 'ACTIVER MON COMPTE' }).click()
    await page.waitForURL(/\/accueil$/)
    assert.include(await page.locator('.alert').first().innerText(), 'MON DOSSIER')
    await assertAccessible(page)

    await page.getByRole('link', { name: 'Mon compte' }).click()
    await page.waitForURL(/\/mon-compte$/)
    await assertAccessible(page)

    const cgu = await visit('/mon-compte/conditions')
    assert.include(await cgu.locator('main').innerText(), 'acceptée le')
    await assertAccessible(cgu)
    await cgu.close()

    await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    assert.include(await page.locator('main').innerText(), 'CONNECTEZ-VOUS')
    await assertAccessible(page)

    const reused = await visit(link)
    assert.include(await reused.locator('h1').innerText(), 'déjà servi')
    await assertAccessible(reused)

    const login = await visit('/connexion')
    await assertAccessible(login)
    await login.locator('#field-username').fill(user.username)
    await login.locator('#field-password').fill('Pas-Le-Bon-2026')
    await login.getByRole('button', { name: 'SE CONNECTER' }).click()
    await login.waitForURL(/\/connexion$/)
    assert.include(await login.locator('.error-summary').innerText(), "Nom d'utilisateur ou mot de passe incorrect")
    assert.equal(await login.locator('#field-username').inputValue(), user.username)
    await assertAccessible(login)

    await login.locator('#field-password').fill(GOOD_PASSWORD)
    await login.getByRole('button', { name: 'SE CONNECTER' }).click()
    await login.waitForURL(/\/accueil$/)
    assert.include(await login.locator('h1').innerText(), 'Sophie Navigateur')
  })

  test('the forgotten-password and staff account pages pass axe-core', async ({ visit, browser, cleanup }) => {
    await assertAccessible(await visit('/mot-de-passe-oublie'))
    await assertAccessible(await visit('/activation/lien-inconnu'))
    const admin = await accountService.createPendingAccount({ email: 'admin.navigateur@mairie.fr', fullName: 'Admin Navigateur', role: 'admin' })
    admin.merge({ state: 'active', password: GOOD_PASSWORD })
    await admin.save()
    await accountService.createPendingAccount({ email: 'attente@exemple.fr', fullName: 'Famille En Attente', role: 'parent' })
    // The administrator in a browser of their own, not signed in over the visitor's session.
    const administrator = await browserAs(browser, admin)
    cleanup(() => administrator.close())
    await assertAccessible(await administrator.visit('/gestion/comptes'))
    await assertAccessible(await administrator.visit('/gestion/comptes/nouveau'))
  })
})

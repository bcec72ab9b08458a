import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import accountService from '#modules/accounts/services/account_service'
import User from '#modules/accounts/models/user'
import { createFamily, useColomars } from '#tests/helpers/factories'
import { clearOutbox, linkIn, mailsTo } from '#modules/accounts/tests/helpers'
import { VIEWPORTS, checkPage, follow, isFocused, keyboardFollow, keyboardType, logInWithForm, menuLink, pageWidth, tabTo } from './helpers.js'

const PASSWORD = 'Colombe-Verte-2026!'

/** What the service does before a family's first visit: the file, a pending account, the mail. */
async function pendingFamily(email: string) {
  const user = await accountService.createPendingAccount({ email, fullName: 'Christine Activation', role: 'parent' })
  const { family } = await createFamily({
    lastName: 'Activation',
    family: { reference: `ACT-${user.id}`, address: '3 chemin des Oliviers', postalCode: '06670', city: 'Colomars', email, familyQuotient: 640, quotientSource: 'CAF' },
    guardians: [{ user, civility: 'Mme', firstName: 'Christine', phone: '06 11 22 33 44' }],
    children: [{ reference: 'E1', birthDate: '2017-05-04', sex: 'F' }],
  })
  await accountService.sendActivation(user)
  const [mail] = await mailsTo(email)
  if (!mail) throw new Error(`Aucun courriel d'activation pour ${email}`)
  return { user, family, link: linkIn(mail, '/activation') }
}

test.group('Parcours 1 — activation du compte depuis le lien reçu par courriel', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await clearOutbox()
    await limiter.clear(['memory'])
    await useColomars()
  })

  for (const viewport of VIEWPORTS) {
    test(`le lien du courriel, les CGU, le mot de passe, l'accueil, puis la connexion par le formulaire (${viewport.name})`, async ({ visit, assert }) => {
      const email = `activation.${viewport.width}@exemple.fr`
      const { user, link } = await pendingFamily(email)
      assert.match(link, /\/activation\/[A-Za-z0-9_-]{20,}$/)

      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await checkPage(page)

      // the only typed address: the link read from the mail
      await page.goto(link)
      assert.equal(await page.title(), 'Activation de votre compte — Colomars')
      assert.include(await page.locator('main').innerText(), user.username)
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      // without the CGU: refused, and said beside the box
      await page.locator('#field-password').fill(PASSWORD)
      await page.locator('#field-password_confirmation').fill(PASSWORD)
      await follow(page, page.getByRole('button', { name: 'ACTIVER MON COMPTE' }), /\/activation\//)
      assert.include(await page.locator('.error-summary').innerText(), "Conditions générales d'utilisation")
      assert.equal(await page.locator('#field-cgu').getAttribute('aria-invalid'), 'true')
      await checkPage(page)

      await page.locator('#field-cgu').check()
      await page.locator('#field-password').fill(PASSWORD)
      await page.locator('#field-password_confirmation').fill(PASSWORD)
      await follow(page, page.getByRole('button', { name: 'ACTIVER MON COMPTE' }), /\/accueil$/)
      assert.include(await page.locator('.alert').first().innerText(), 'MON DOSSIER')
      assert.include(await page.locator('h1').innerText(), 'Christine Activation')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      const active = await User.findOrFail(user.id)
      assert.equal(active.state, 'active')
      assert.isNotNull(active.cguAcceptedAt)

      // the reminder of the guide: check the children's files in MON DOSSIER
      await follow(page, menuLink(page, 'DOSSIER'), /\/dossier$/)
      assert.include(await page.locator('main').innerText(), 'Lya')
      await checkPage(page)

      // second visit: log out, then the login box of the public home page
      await follow(page, page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }), (url) => url.pathname === '/')
      await checkPage(page)
      await logInWithForm(page, user.username, PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/accueil')
      assert.include(await page.locator('h1').innerText(), 'Christine Activation')
      await checkPage(page)
    })

    test(`l'activation au clavier seul : Tab, Espace, Entrée (${viewport.name})`, async ({ visit, assert }) => {
      const email = `clavier.${viewport.width}@exemple.fr`
      const { user, link } = await pendingFamily(email)

      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await checkPage(page)
      await page.goto(link)
      await checkPage(page)

      // the first stop is the skip link; it leads to the content
      await page.keyboard.press('Tab')
      assert.isTrue(await isFocused(page.getByRole('link', { name: 'Aller au contenu' })))
      await page.keyboard.press('Enter')

      const cgu = page.locator('#field-cgu')
      await tabTo(page, cgu)
      await page.keyboard.press('Space')
      assert.isTrue(await cgu.isChecked())
      await keyboardType(page, page.locator('#field-password'), PASSWORD)
      await keyboardType(page, page.locator('#field-password_confirmation'), PASSWORD)
      // back to the box with Shift+Tab: it is still ticked
      await tabTo(page, cgu, { backwards: true })
      assert.isTrue(await cgu.isChecked())
      await keyboardFollow(page, page.getByRole('button', { name: 'ACTIVER MON COMPTE' }), /\/accueil$/)
      assert.include(await page.locator('.alert').first().innerText(), 'MON DOSSIER')
      await checkPage(page)
      assert.equal((await User.findOrFail(user.id)).state, 'active')

      // and out again with the keyboard, then in through the home page's login box
      await keyboardFollow(page, page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }), (url) => url.pathname === '/')
      await checkPage(page)
      await keyboardType(page, page.locator('#box-field-username'), user.username)
      await keyboardType(page, page.locator('#box-field-password'), PASSWORD)
      await page.keyboard.press('Enter')
      await page.waitForURL(/\/accueil$/)
      await checkPage(page)
      assert.include(await page.locator('h1').innerText(), 'Christine Activation')
    })
  }
})

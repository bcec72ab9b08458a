import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import { createUser } from '#tests/helpers/users'

const PUBLIC_PAGES: Record<string, string> = {
  '/': 'Accueil',
  '/accessibilite': 'Accessibilité',
  '/mentions-legales': 'Mentions légales',
  '/donnees-personnelles': 'Données personnelles',
  '/page-inexistante': 'Page introuvable',
}

test.group('Layout pages in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => useColomars({ label: 'Accueil de loisirs', phone: '04 93 00 00 02', address: 'Chemin des écoles' }))

  test('public pages pass axe-core with no violation', async ({ visit, assert }) => {
    for (const [url, title] of Object.entries(PUBLIC_PAGES)) {
      const page = await visit(url)
      assert.equal(await page.title(), `${title} — Colomars`)
      await assertAccessible(page)
    }
  })

  test('the skip link is the first stop of the keyboard and leads to the content', async ({ visit, assert }) => {
    const page = await visit('/')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim()), 'Aller au contenu')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => (globalThis as any).location.hash), '#contenu')
  })

  test('usable at 320 px: nothing scrolls sideways', async ({ visit, assert }) => {
    const page = await visit('/accessibilite')
    await page.setViewportSize({ width: 320, height: 640 })
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)
    assert.isAtMost(width, 320)
  })

  test('on a 360 px phone the menu is one line, a « Menu » button that opens and closes the list', async ({ visit, browserContext, assert }) => {
    const parent = await createUser('parent')
    await browserContext.loginAs(parent)
    const page = await visit('/accueil')
    const toggle = page.locator('.main-nav__toggle')
    const list = page.locator('#menu-liste')
    // On a wide screen: the list, no button.
    assert.isTrue(await list.isVisible())
    assert.isFalse(await toggle.isVisible())

    await page.setViewportSize({ width: 360, height: 700 })
    assert.isTrue(await toggle.isVisible())
    assert.isFalse(await list.isVisible())
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
    assert.equal(await toggle.innerText(), 'Menu : ACCUEIL')
    const navHeight = await page.locator('.main-nav').evaluate((node) => node.getBoundingClientRect().height)
    assert.isAtMost(navHeight, 60, 'one line')
    await assertAccessible(page)

    await toggle.click()
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
    assert.isTrue(await list.isVisible())
    await assertAccessible(page)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Escape')
    assert.isFalse(await list.isVisible())
    assert.isTrue(await toggle.evaluate((node) => node === (globalThis as any).document.activeElement))
  })

  test('the public home puts the login box where the guide does: top right on a wide screen, first on a phone', async ({ visit, assert }) => {
    const page = await visit('/')
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!
    const login = await box('.login-box')
    const lead = await box('p.lead')
    assert.isAbove(login.x, lead.x + lead.width - 1, 'right of the main column')
    assert.isBelow(Math.abs(login.y - lead.y), 40, 'at the top')

    await page.setViewportSize({ width: 360, height: 800 })
    const [phoneLogin, phoneLead] = [await box('.login-box'), await box('p.lead')]
    assert.isBelow(phoneLogin.y, phoneLead.y, 'first on a phone')
    await assertAccessible(page)
  })

  test('the parent home and the staff area pass axe-core', async ({ visit, browser, browserContext, cleanup }) => {
    const parent = await createUser('parent')
    await browserContext.loginAs(parent)
    await assertAccessible(await visit('/accueil'))
    const agent = await browserAs(browser, await createUser('admin'))
    cleanup(() => agent.close())
    await assertAccessible(await agent.visit('/gestion'))
  })
})

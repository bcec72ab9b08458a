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

  test('the parent home and the staff area pass axe-core', async ({ visit, browser, browserContext, cleanup }) => {
    const parent = await createUser('parent')
    await browserContext.loginAs(parent)
    await assertAccessible(await visit('/accueil'))
    const agent = await browserAs(browser, await createUser('admin'))
    cleanup(() => agent.close())
    await assertAccessible(await agent.visit('/gestion'))
  })
})

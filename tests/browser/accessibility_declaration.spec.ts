import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible } from '#tests/helpers/browser'
import { accessibilityDeclaration } from '#services/accessibility_audit'
import { formatNumber } from '#core/french'

/** The accessibility declaration, computed from docs/accessibility/audit.json, in Chromium and under axe-core. */
test.group('Accessibility declaration in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => useColomars())

  test('/accessibilite passes axe-core, with the detail of each criterion opened too', async ({ visit, assert }) => {
    const { summary } = accessibilityDeclaration()
    const page = await visit('/accessibilite')
    assert.equal(await page.title(), 'Accessibilité — Colomars')
    assert.equal((await page.locator('[data-rate]').textContent())?.trim(), `${formatNumber(summary.rate, 1)} %`)
    assert.equal((await page.locator('footer a[href="/accessibilite"]').textContent())?.trim(), `Accessibilité : ${summary.status}`)
    await assertAccessible(page)

    await page.locator('details.audit-criteria summary').click()
    assert.equal(await page.locator('details.audit-criteria li').count(), 106)
    await assertAccessible(page)

    // the evidence's long words (attributes, URL patterns) break rather than scroll sideways at 320 px
    await page.setViewportSize({ width: 320, height: 640 })
    assert.isAtMost(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth), 320)
  })

  test('headings: one h1, then no level skipped', async ({ visit, assert }) => {
    const page = await visit('/accessibilite')
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((nodes) => nodes.map((node) => Number(node.tagName[1])))
    assert.equal(levels.filter((level) => level === 1).length, 1)
    const main = await page.locator('main h1, main h2, main h3, main h4').evaluateAll((nodes) => nodes.map((node) => Number(node.tagName[1])))
    assert.equal(main[0], 1)
    for (let index = 1; index < main.length; index++) assert.isAtMost(main[index] - main[index - 1], 1, `niveau ${main[index]} après ${main[index - 1]}`)
  })
})

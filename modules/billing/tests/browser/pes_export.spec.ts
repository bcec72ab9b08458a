import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Page } from 'playwright'
import PesExport from '#modules/billing/models/pes_export'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { createUser } from '#tests/helpers/users'
import { assertAccessible } from '#tests/helpers/browser'

const pageWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)

test.group('Titres PES V2 in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('at 320 px, an agent creates the month’s PES file from FACTURATION and finds it listed', async ({ visit, browserContext, assert }) => {
    const agent = await createUser('staff')
    await familyWithInvoice(4, { lastName: 'Navigateur' })
    await browserContext.loginAs(agent)
    const page = await visit('/gestion/facturation?month=2026-09')
    await page.setViewportSize({ width: 320, height: 800 })
    const block = page.locator('section[aria-labelledby="titres-pes"]')
    assert.include(await block.innerText(), 'À exporter : 1 facture (12,20')
    await assertAccessible(page)
    assert.isAtMost(await pageWidth(page), 320)

    await page.getByRole('button', { name: 'CRÉER LE FICHIER PES V2 DE SEPTEMBRE 2026' }).click()
    await page.waitForURL('**/gestion/facturation?month=2026-09#titres-pes')
    const created = await PesExport.query().where('month', '2026-09').firstOrFail()
    assert.include(await page.locator('body').innerText(), `Fichier PES V2 de septembre 2026 créé (bordereau n° ${created.bordereauNumber}) : 1 titre (12,20`)
    assert.include(await block.innerText(), 'Rien à exporter')
    assert.equal(await block.getByRole('link', { name: created.fileName }).getAttribute('href'), `/gestion/facturation/titres-pes/${created.id}`)
    await assertAccessible(page)
    assert.isAtMost(await pageWidth(page), 320)
  })
})

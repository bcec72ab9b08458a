import { test } from '@japa/runner'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import debitBatchService from '#modules/billing/services/sepa/debit_batch_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { pain002 } from '#modules/billing/tests/pain002_fixture'
import { createUser } from '#tests/helpers/users'
import { assertAccessible } from '#tests/helpers/browser'

test.group('SEPA returns in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff send the bank’s file from the debits page; the parent reads why and can pay online', async ({ visit, browserContext, assert, cleanup }) => {
    const { parent, invoice } = await familyWithInvoice(4, { mandate: {}, lastName: 'Rejet' })
    const { batch } = await debitBatchService.create('2026-09', { collectionDate: DateTime.now().setZone('Europe/Paris').plus({ days: 5 }).toISODate()! })
    const folder = mkdtempSync(join(tmpdir(), 'sepa-returns-browser-'))
    cleanup(() => rmSync(folder, { recursive: true, force: true }))
    const file = join(folder, 'retour-banque.xml')
    writeFileSync(file, pain002({ originalMessageId: batch.message_id, payments: [{ id: `${batch.message_id}-FRST`, transactions: [{ endToEndId: `FAC-${invoice.number}`, reason: 'AM04' }] }] }))

    const agent = await createUser('staff')
    await browserContext.loginAs(agent)
    const page = await visit('/gestion/facturation/prelevements?month=2026-09')
    await assertAccessible(page)
    await page.getByLabel('Fichier de retour de la banque').setInputFiles(file)
    await page.getByRole('button', { name: 'IMPORTER LES REJETS' }).click()
    await page.waitForURL('**/gestion/facturation/prelevements?month=2026-09')
    const main = await page.locator('main').innerText()
    assert.include(main, `Retour de la banque sur le lot ${batch.message_id} : 1 rejet appliqué`)
    assert.include(main, 'AM04 — la provision du compte était insuffisante le jour du prélèvement')
    await assertAccessible(page)
    await page.setViewportSize({ width: 320, height: 800 })
    assert.isAtMost(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number), 320)

    await browserContext.clearCookies()
    await browserContext.loginAs(parent!)
    const parentPage = await visit(`/facturation/${invoice.id}`)
    const text = await parentPage.locator('main').innerText()
    assert.include(text, `Le prélèvement du ${DateTime.fromISO(batch.collection_date).toFormat('dd/MM/yyyy')} a été rejeté : la provision du compte était insuffisante le jour du prélèvement.`)
    assert.notInclude(text, 'AM04')
    assert.equal(await parentPage.getByRole('button', { name: /^PAYER 12,20/ }).count(), 1)
    await assertAccessible(parentPage)
  })
})

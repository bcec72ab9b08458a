import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import familyService from '#modules/dossier/services/family_service'
import FamilyDocument from '#modules/dossier/models/family_document'
import { createFamily } from '#modules/dossier/tests/factories'

const PDF = Buffer.from('%PDF-1.3\n%%EOF\n', 'latin1')

test.group('Dossier: a PDF another module shares in the family documents', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('filed as shared by the service and accepted, stored privately under the family', async ({ assert }) => {
    const { family, user } = await createFamily()
    const document = await db.transaction((trx) =>
      familyService.shareDocument(trx, { familyId: family.id, category: 'mandat_sepa', name: 'Mandat SEPA F-1-20261202-01.pdf', bytes: PDF, sharedBy: user!.id })
    )
    assert.equal(document.origin, 'service')
    assert.equal(document.state, 'accepted')
    assert.equal(document.size, PDF.length)
    assert.deepEqual(Buffer.from(await drive.use().getBytes(document.storageKey)), PDF)
  })

  test('the transaction rolled back: no row, and the stored file is removed', async ({ assert }) => {
    const { family } = await createFamily()
    let key = ''
    await assert.rejects(() =>
      db.transaction(async (trx) => {
        const document = await familyService.shareDocument(trx, { familyId: family.id, category: 'mandat_sepa', name: 'Mandat.pdf', bytes: PDF, sharedBy: null })
        key = document.storageKey
        assert.isTrue(await drive.use().exists(key))
        throw new Error('the signature failed after the document')
      })
    )
    assert.isNotEmpty(key)
    assert.isFalse(await drive.use().exists(key))
    assert.lengthOf(await FamilyDocument.query().where('family_id', family.id), 0)
  })

  test('refuses what is not a PDF, writing nothing', async ({ assert }) => {
    const { family } = await createFamily()
    await assert.rejects(() =>
      db.transaction((trx) => familyService.shareDocument(trx, { familyId: family.id, category: 'autre', name: 'page.html', bytes: Buffer.from('<html>'), sharedBy: null }))
    )
    assert.lengthOf(await FamilyDocument.query().where('family_id', family.id), 0)
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createParentWithFamily } from '#tests/helpers/users'

/** Hostile uploads on a real upload form (Mes documents): each refused with a sentence, nothing stored. */
test.group('Upload sweep', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  const cases: [string, Buffer, string][] = [
    ['an executable renamed .pdf', Buffer.from('MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode'), 'facture.pdf'],
    ['a path trick in the name', Buffer.from('%PDF-1.4\n%%EOF'), '../../x.pdf'],
    ['a part header over 16 KB', Buffer.from('%PDF-1.4\n%%EOF'), `${'a'.repeat(17 * 1024)}.pdf`],
  ]

  for (const [label, content, filename] of cases) {
    test(`refuses ${label}`, async ({ client, assert }) => {
      const { parent, familyId } = await createParentWithFamily(`UP-${label.length}`)
      const response = await client
        .post('/dossier/documents')
        .loginAs(parent)
        .withCsrfToken()
        .redirects(0)
        .fields({ category: 'autre' })
        .file('document', content, { filename })
      assert.isBelow(response.status(), 500, label)
      assert.notEqual(response.status(), 200)
      const stored = await db.from('family_documents').where('family_id', familyId)
      if (label === 'a path trick in the name') {
        // The multipart parser keeps only the base name: stored, if at all, under a random key.
        for (const row of stored) {
          assert.notMatch(row.name, /[\\/]|\.\./)
          assert.notInclude(row.storage_key, '..')
        }
        return
      }
      assert.lengthOf(stored, 0, label)
      if (response.status() === 302) {
        const bag = (response.flashMessages() as any).inputErrorsBag ?? {}
        assert.isNotEmpty(Object.values(bag).flat().join(' '), `${label}: a sentence beside the field`)
      }
    })
  }
})

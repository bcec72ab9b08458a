import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { existsSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import FamilyDocument from '#modules/dossier/models/family_document'
import HistoryEntry from '#modules/dossier/models/history_entry'
import Child from '#modules/dossier/models/child'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'
import { submitForm } from '#tests/helpers/requests'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')

/** The parent's "Mes documents" form, category "autre", the file announced as a PDF. */
function sendAsOther(client: ApiClient, user: User, content: Buffer, filename: string) {
  return client.post('/dossier/documents').field('category', 'autre').file('document', content, { filename, contentType: 'application/pdf' }).withCsrfToken().loginAs(user)
}

async function documentsOf(familyId: number) {
  return FamilyDocument.query().where('family_id', familyId).orderBy('id')
}

test.group('Dossier: documents', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a parent sends a PDF: stored privately, pending, in the history', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await client
      .post('/dossier/documents')
      .field('category', 'attestation_qf')
      .field('childId', String(mine.child.id))
      .file('document', PDF, { filename: 'attestation caf.pdf', contentType: 'application/pdf' })
      .withCsrfToken()
      .loginAs(mine.user)
    response.assertStatus(200)
    assert.include(pageText(response), 'est transmis au service')
    const documents = await documentsOf(mine.family.id)
    const sent = documents.at(-1)!
    assert.equal(sent.name, 'attestation caf.pdf')
    assert.equal(sent.state, 'pending')
    assert.equal(sent.origin, 'family')
    assert.equal(sent.childId, mine.child.id)
    assert.isTrue(sent.storageKey.startsWith(`families/${mine.family.id}/`))
    assert.isTrue(await drive.use().exists(sent.storageKey))
    const entry = await HistoryEntry.query().where('family_id', mine.family.id).firstOrFail()
    assert.include(entry.text, 'Attestation de quotient familial')
    const page = await client.get('/dossier/documents').loginAs(mine.user)
    assert.include(pageText(page), 'En attente de vérification')
  })

  test('a file of 40 MB + 1 byte is refused cleanly', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const big = Buffer.alloc(40 * 1024 * 1024 + 1, 0x20)
    PDF.copy(big)
    const response = await sendAsOther(client, mine.user, big, 'gros.pdf').header('referer', '/dossier/documents')
    response.assertStatus(200)
    assert.include(pageText(response), 'dépasse 40 Mo')
    assert.lengthOf(await documentsOf(mine.family.id), 1)
  })

  test('an executable renamed .pdf is refused by its content', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(2000, 1)])
    const response = await sendAsOther(client, mine.user, exe, 'facture.pdf')
    response.assertStatus(200)
    assert.include(pageText(response), "n'est pas d'un type accepté")
    assert.lengthOf(await documentsOf(mine.family.id), 1)
  })

  test('a file named ../../x.pdf is refused and nothing is written outside', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await sendAsOther(client, mine.user, PDF, '../../x.pdf')
    response.assertStatus(200)
    const text = pageText(response)
    const documents = await documentsOf(mine.family.id)
    if (documents.length > 1) {
      // the multipart parser may already keep only the base name: then it must be stored safely
      const stored = documents.at(-1)!
      assert.equal(stored.name, 'x.pdf')
      assert.isTrue(stored.storageKey.startsWith(`families/${mine.family.id}/`))
      assert.notInclude(stored.storageKey, '..')
    } else {
      assert.include(text, "n'est pas accepté")
    }
    for (const path of ['x.pdf', 'tmp/x.pdf', 'storage/x.pdf']) assert.isFalse(existsSync(app.makePath(path)))
  })

  test('a form sent without its file says so beside the file field, with the category kept', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await submitForm(client, mine.user, '/dossier/documents', { category: 'autre' })
    response.assertFlashMessage('inputErrorsBag', { document: ['Choisissez un fichier.'] })
    assert.equal(response.flashMessages().category, 'autre')
    assert.lengthOf(await documentsOf(mine.family.id), 1)
  })

  test('a category is required and a child of another family is refused', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const other = await makeFamily('Autre')
    const noCategory = await client.post('/dossier/documents').file('document', PDF, { filename: 'a.pdf' }).withCsrfToken().loginAs(mine.user).header('referer', '/dossier/documents')
    assert.include(pageText(noCategory), 'Le formulaire contient')
    const foreignChild = await client
      .post('/dossier/documents')
      .field('category', 'pai')
      .field('childId', String(other.child.id))
      .file('document', PDF, { filename: 'a.pdf' })
      .withCsrfToken()
      .loginAs(mine.user)
    assert.include(pageText(foreignChild), "Cet enfant n'est pas dans le dossier")
    assert.lengthOf(await documentsOf(mine.family.id), 1)
  })

  test('staff accept a PAI (linked to the child), refuse with a reason, share a document', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const staff = await makeStaff()
    const pai = await FamilyDocument.create({
      familyId: mine.family.id,
      childId: mine.child.id,
      category: 'pai',
      name: 'pai.pdf',
      storageKey: mine.document.storageKey,
      mime: 'application/pdf',
      size: 10,
      origin: 'family',
      state: 'pending',
    })
    await client.post(`/gestion/familles/${mine.family.id}/documents/${pai.id}/accepter`).withCsrfToken().loginAs(staff)
    await pai.refresh()
    assert.equal(pai.state, 'accepted')
    const child = await Child.findOrFail(mine.child.id)
    assert.isTrue(child.pai)
    assert.equal(child.paiDocumentId, pai.id)

    const noReason = await client.post(`/gestion/familles/${mine.family.id}/documents/${mine.document.id}/refuser`).form({ refusalReason: '' }).withCsrfToken().loginAs(staff).header('referer', `/gestion/familles/${mine.family.id}/documents/${mine.document.id}/refuser`)
    assert.include(pageText(noReason), 'Le formulaire contient')
    await client.post(`/gestion/familles/${mine.family.id}/documents/${mine.document.id}/refuser`).form({ refusalReason: 'Document illisible' }).withCsrfToken().loginAs(staff)
    await mine.document.refresh()
    assert.equal(mine.document.state, 'refused')
    const parentView = await client.get('/dossier/documents').loginAs(mine.user)
    assert.include(pageText(parentView), 'Motif : Document illisible')
    assert.include(pageText(parentView), 'Refusé')

    await client
      .post(`/gestion/familles/${mine.family.id}/documents`)
      .field('category', 'autre')
      .file('document', PDF, { filename: 'règlement intérieur.pdf' })
      .withCsrfToken()
      .loginAs(staff)
    const all = await documentsOf(mine.family.id)
    const shared = all.at(-1)!
    assert.equal(shared.origin, 'service')
    const download = await client.get(`/dossier/documents/${shared.id}/telecharger`).loginAs(mine.user)
    download.assertStatus(200)
    const staffDownload = await client.get(`/gestion/familles/${mine.family.id}/documents/${shared.id}/telecharger`).loginAs(staff)
    staffDownload.assertStatus(200)
    const wrongFamily = await makeFamily('Autre')
    const scoped = await client.get(`/gestion/familles/${wrongFamily.family.id}/documents/${shared.id}/telecharger`).loginAs(staff)
    scoped.assertStatus(404)
    const dossierPage = await client.get('/dossier').loginAs(mine.user)
    assert.include(pageText(dossierPage), 'pai.pdf')
  })
})

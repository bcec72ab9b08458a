import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import { createUser } from '#tests/helpers/users'
import NewsDocument from '#modules/news/models/news_document'
import { fakeExecutable, tinyPdf, statusOf, textOf } from '#modules/news/tests/factories'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'

/** The first bytes of an Office Open XML file (a ZIP). */
function tinyDocx(): Buffer {
  const bytes = Buffer.alloc(128)
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]).copy(bytes)
  bytes.write('[Content_Types].xml', 30, 'latin1')
  return bytes
}

/** The staff's form that adds a document to download. */
function uploadDocument(client: ApiClient, agent: User, title: string, file: Buffer, options: { filename: string; contentType?: string }) {
  return client.post('/gestion/documents').field('title', title).file('file', file, options).withCsrfToken().loginAs(agent).redirects(0)
}

test.group('News: documents to download', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an uploaded PDF is listed and downloaded with its type and name', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const pdf = tinyPdf()
    const upload = await uploadDocument(client, agent, 'Règlement intérieur 2026', pdf, { filename: 'règlement intérieur.pdf', contentType: 'application/pdf' })
    upload.assertStatus(302)
    upload.assertFlashMessage('alert.success')
    const document = await NewsDocument.findByOrFail('title', 'Règlement intérieur 2026')
    assert.equal(document.mime, 'application/pdf')
    assert.equal(document.size, pdf.length)
    assert.equal(document.authorId, agent.id)
    assert.notInclude(document.fileKey, 'règlement')
    assert.isTrue(await drive.use().exists(document.fileKey))

    const page = await client.get('/infos-pratiques')
    const html = page.text()
    assert.include(html, 'Règlement intérieur 2026')
    assert.include(html, `/infos-pratiques/documents/${document.id}/telecharger`)
    assert.match(html, /<td data-label="Type">PDF<\/td>/)
    assert.match(html, /<td data-label="Taille">\d+ octets<\/td>/)
    assert.include(await textOf(client.get('/infos-pratiques/documents')), 'Règlement intérieur 2026')

    const download = await client.get(`/infos-pratiques/documents/${document.id}/telecharger`)
    download.assertStatus(200)
    download.assertHeader('content-type', 'application/pdf')
    const disposition = download.header('content-disposition') ?? ''
    assert.match(disposition, /^attachment; filename="r_glement int_rieur\.pdf"; filename\*=UTF-8''r%C3%A8glement%20int%C3%A9rieur\.pdf$/)
    const body = Buffer.isBuffer(download.body()) ? download.body() : Buffer.from(download.text(), 'latin1')
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
  })

  test('an office file is accepted with its own type', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await uploadDocument(client, agent, 'Fiche sanitaire', tinyDocx(), { filename: 'fiche.docx' })
    const document = await NewsDocument.findByOrFail('title', 'Fiche sanitaire')
    const download = await client.get(`/infos-pratiques/documents/${document.id}/telecharger`)
    download.assertStatus(200)
    download.assertHeader('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    assert.include(download.header('content-disposition') ?? '', 'filename="fiche.docx"')
  })

  test('an executable renamed .pdf is refused, with the reason beside the field', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await uploadDocument(client, agent, 'Facture piégée', fakeExecutable(), { filename: 'facture.pdf', contentType: 'application/pdf' })
    response.assertStatus(302)
    response.assertHasValidationError('file')
    assert.isNull(await NewsDocument.findBy('title', 'Facture piégée'))

    const form = await client.get('/gestion/documents').withFlashMessages(response.flashMessages()).loginAs(agent)
    assert.include(form.text(), 'son contenu ne correspond pas')
    assert.include(form.text(), 'id="field-file-error"')
    assert.include(form.text(), 'Facture piégée')
  })

  test('a file of another kind is refused by its extension too', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await uploadDocument(client, agent, 'Programme', fakeExecutable(), { filename: 'setup.exe' })
    response.assertHasValidationError('file')
    assert.isNull(await NewsDocument.findBy('title', 'Programme'))
  })

  test('a deleted document disappears with its file; an unknown one is a 404', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await uploadDocument(client, agent, 'Ancien menu', tinyPdf(), { filename: 'menu.pdf' })
    const document = await NewsDocument.findByOrFail('title', 'Ancien menu')
    await client.post(`/gestion/documents/${document.id}/supprimer`).withCsrfToken().loginAs(agent).redirects(0)
    assert.isNull(await NewsDocument.find(document.id))
    assert.isFalse(await drive.use().exists(document.fileKey))
    assert.equal(await statusOf(client.get(`/infos-pratiques/documents/${document.id}/telecharger`)), 404)
  })
})

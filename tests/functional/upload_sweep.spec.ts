import { randomUUID } from 'node:crypto'
import { watch } from 'node:fs'
import { mkdir, open, readdir, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createFamily, createUser } from '#tests/helpers/factories'
import { UPLOAD_TMP_DIR } from '#middleware/upload_gate_middleware'

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
      const { user: parent, family } = await createFamily({ children: [] })
      const response = await client
        .post('/dossier/documents')
        .loginAs(parent)
        .withCsrfToken()
        .redirects(0)
        .fields({ category: 'autre' })
        .file('document', content, { filename })
      assert.isBelow(response.status(), 500, label)
      assert.notEqual(response.status(), 200)
      const stored = await db.from('family_documents').where('family_id', family.id)
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

/** Files in the upload folder; and, there or in the system's tmp, files holding this test's marker. */
async function tmpState(marker: string, since: number) {
  await mkdir(UPLOAD_TMP_DIR, { recursive: true })
  const count = (await readdir(UPLOAD_TMP_DIR)).length
  let marked = 0
  for (const folder of [UPLOAD_TMP_DIR, tmpdir()]) {
    for (const name of await readdir(folder)) {
      const path = join(folder, name)
      const info = await stat(path).catch(() => null)
      if (!info?.isFile() || info.mtimeMs < since - 1000) continue
      const handle = await open(path, 'r').catch(() => null)
      if (!handle) continue
      const head = Buffer.alloc(64)
      await handle.read(head, 0, 64, 0).finally(() => handle.close())
      if (head.toString('latin1').includes(marker)) marked += 1
    }
  }
  return { count, marked }
}

/** A few MB whose first bytes make a PDF (or an executable) carrying a unique marker. */
function payload(marker: string, kind: 'pdf' | 'exe' = 'pdf', size = 3 * 1024 * 1024) {
  const body = Buffer.alloc(size, 0x20)
  body.write(kind === 'pdf' ? `%PDF-1.4\n%${marker}\n` : `MZ\x90\x00${marker}`, 'latin1')
  return body
}

test.group('Upload temporary files', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  /** Runs a request and returns what it left in the temporary folders and whether it wrote there at all. */
  async function sweep(send: (marker: string) => Promise<any>) {
    const marker = `marqueur-${randomUUID()}`
    const since = Date.now()
    const before = await tmpState(marker, since)
    let written = 0
    const watcher = watch(UPLOAD_TMP_DIR, () => (written += 1))
    const response = await send(marker)
    await new Promise((resolve) => setTimeout(resolve, 100))
    watcher.close()
    const after = await tmpState(marker, since)
    return { response, before, after, written }
  }

  const refusals: [string, (parent: any, marker: string, client: any) => any][] = [
    ['a file whose content is not an accepted type', (parent, marker, client) =>
      client.post('/dossier/documents').loginAs(parent).withCsrfToken().redirects(0).fields({ category: 'autre' }).file('document', payload(marker, 'exe'), { filename: 'facture.pdf' })],
    ['a form without its CSRF token', (parent, marker, client) =>
      client.post('/dossier/documents').loginAs(parent).redirects(0).fields({ category: 'autre' }).file('document', payload(marker), { filename: 'facture.pdf' })],
    ['a form failing validation (no category)', (parent, marker, client) =>
      client.post('/dossier/documents').loginAs(parent).withCsrfToken().redirects(0).file('document', payload(marker), { filename: 'facture.pdf' })],
    ['a file over 40 MB', (parent, marker, client) =>
      client.post('/dossier/documents').loginAs(parent).withCsrfToken().redirects(0).header('referer', '/dossier/documents').fields({ category: 'autre' }).file('document', payload(marker, 'pdf', 40 * 1024 * 1024 + 1), { filename: 'gros.pdf' })],
  ]

  for (const [label, send] of refusals) {
    test(`refused upload leaves no temporary file: ${label}`, async ({ client, assert }) => {
      const { user: parent, family } = await createFamily({ children: [] })
      const { response, before, after } = await sweep((marker) => send(parent, marker, client))
      assert.isBelow(response.status(), 500, label)
      assert.lengthOf(await db.from('family_documents').where('family_id', family.id), 0, label)
      assert.equal(after.count, before.count, `${label}: the upload folder is as before`)
      assert.equal(after.marked, 0, `${label}: no temporary file left with the upload`)
    })
  }

  test('an accepted upload leaves no temporary file', async ({ client, assert }) => {
    const { user: parent, family } = await createFamily({ children: [] })
    const { response, before, after, written } = await sweep((marker) =>
      client.post('/dossier/documents').loginAs(parent).withCsrfToken().redirects(0).fields({ category: 'autre' }).file('document', payload(marker), { filename: 'attestation.pdf' })
    )
    response.assertStatus(302)
    assert.lengthOf(await db.from('family_documents').where('family_id', family.id), 1)
    assert.isAbove(written, 0, 'the file went through the upload folder')
    assert.equal(after.count, before.count)
    assert.equal(after.marked, 0)
  })

  test('a visitor: nothing written, to a form without a file (/connexion) nor to an upload form', async ({ client, assert }) => {
    const login = await sweep((marker) =>
      client.post('/connexion').withCsrfToken().redirects(0).fields({ username: 'x', password: 'y' }).file('piece', payload(marker), { filename: 'x.pdf' })
    )
    login.response.assertStatus(415)
    assert.include(login.response.text(), 'Envoi refusé')
    assert.equal(login.response.header('x-frame-options'), 'DENY')
    assert.equal(login.written, 0)
    assert.equal(login.after.marked, 0)

    const upload = await sweep((marker) =>
      client.post('/dossier/documents').withCsrfToken().redirects(0).fields({ category: 'autre' }).file('document', payload(marker), { filename: 'x.pdf' })
    )
    upload.response.assertStatus(302)
    upload.response.assertHeader('location', '/connexion')
    assert.equal(upload.written, 0)
    assert.equal(upload.after.marked, 0)
  })

  test('signed in: a form without a file and a staff form refuse a multipart body unread', async ({ client, assert }) => {
    const { user: parent } = await createFamily({ children: [] })
    const other = await sweep((marker) =>
      client.post('/mon-compte/mot-de-passe').loginAs(parent).withCsrfToken().redirects(0).fields({ current_password: 'x' }).file('piece', payload(marker), { filename: 'x.pdf' })
    )
    other.response.assertStatus(415)
    assert.equal(other.written, 0)
    assert.equal(other.after.marked, 0)

    const staffOnly = await sweep((marker) =>
      client.post('/gestion/documents').loginAs(parent).withCsrfToken().redirects(0).fields({ title: 'Menu' }).file('file', payload(marker), { filename: 'menu.pdf' })
    )
    staffOnly.response.assertStatus(403)
    assert.equal(staffOnly.written, 0)
    assert.equal(staffOnly.after.marked, 0)
  })

  test('multipart field names cannot pollute prototypes (bodyparser advisory)', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await client
      .post('/gestion/documents')
      .loginAs(agent)
      .withCsrfToken()
      .redirects(0)
      .fields({ '__proto__[polluted]': 'oui', 'constructor[prototype][polluted]': 'oui', 'title': 'x' })
      .file('file', Buffer.from('%PDF-1.4'), { filename: 'x.pdf' })
    assert.isBelow(response.status(), 500)
    assert.isUndefined(({} as any).polluted)
    assert.isUndefined((Object.prototype as any).polluted)
  })
})

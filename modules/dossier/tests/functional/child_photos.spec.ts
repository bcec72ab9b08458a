import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import type { ApiClient } from '@japa/api-client'
import { de } from '#core/french'
import type { User } from '#modules/accounts/index'
import ChildPhoto from '#modules/dossier/models/child_photo'
import retentionService from '#modules/dossier/services/retention_service'
import exportService from '#modules/dossier/services/export_service'
import HistoryEntry from '#modules/dossier/models/history_entry'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'
import { createUser } from '#tests/helpers/users'
import { createFamily } from '#modules/dossier/tests/factories'

const fixture = (name: string) => readFileSync(app.makePath('modules/dossier/tests/fixtures', name))
const PNG = fixture('photo.png')
const JPEG = fixture('photo.jpg')
const WEBP = fixture('photo.webp')

/** The JPEG with an EXIF segment carrying a GPS position and a camera name, right after SOI. */
function jpegWithExif() {
  const payload = Buffer.from('Exif\0\0MM\0*GPSLatitude 43.7 GPSLongitude 7.2 Camera Pixel-7', 'latin1')
  const segment = Buffer.alloc(4)
  segment.writeUInt16BE(0xffe1, 0)
  segment.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([JPEG.subarray(0, 2), segment, payload, JPEG.subarray(2)])
}

function sendPhoto(client: ApiClient, user: User, childId: number, content: Buffer, filename: string, contentType = 'image/jpeg') {
  return client.post(`/dossier/enfants/${childId}/photo`).file('photo', content, { filename, contentType }).withCsrfToken().loginAs(user).redirects(0)
}

async function photoOf(childId: number) {
  return ChildPhoto.query().where('child_id', childId).first()
}

/** What the edit page says beside the field after a refused upload (the redirect followed). */
async function refusal(client: ApiClient, user: User, childId: number, content: Buffer, filename: string) {
  const response = await sendPhoto(client, user, childId, content, filename).redirects(1)
  response.assertStatus(200)
  const text = pageText(response)
  return text.slice(text.indexOf('field__error'))
}

async function staffOfService(name: string, role: 'staff' | 'admin' = 'staff') {
  const [service] = await db.table('services').insert({ name: `${name} ${Date.now()}${Math.random()}`, position: 9 }).returning('id')
  const serviceId = typeof service === 'object' ? service.id : service
  const user = await createUser(role)
  await db.table('user_services').insert({ user_id: user.id, service_id: serviceId })
  return { user, serviceId: Number(serviceId) }
}

test.group('Dossier: Mes enfants and the child photo', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a guardian adds a PNG: stored privately, in the history and the audit, shown on the card', async ({ client, assert }) => {
    const mine = await makeFamily('Photo')
    const response = await sendPhoto(client, mine.user, mine.child.id, PNG, 'lya.png', 'image/png')
    response.assertStatus(302)
    const photo = (await photoOf(mine.child.id))!
    assert.equal(photo.mime, 'image/png')
    assert.deepEqual([photo.width, photo.height], [40, 30])
    assert.isTrue(photo.storageKey.startsWith(`families/${mine.family.id}/children/${mine.child.id}/`))
    assert.notInclude(photo.storageKey, 'lya')
    assert.isTrue(await drive.use().exists(photo.storageKey))
    const history = await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'child-photo-added').firstOrFail()
    assert.equal(history.text, `Photo ${de(mine.child.firstName)} ajoutée`)
    const audit = await db.from('audit_logs').where('action', 'dossier.child.photo.add').where('subject_id', String(mine.child.id)).first()
    assert.equal(audit.actor_id, mine.user.id)

    const page = await client.get('/dossier/enfants').loginAs(mine.user)
    page.assertStatus(200)
    const html = pageText(page)
    assert.include(html, `src="/dossier/enfants/${mine.child.id}/photo"`)
    assert.include(html, `alt="${mine.child.firstName}"`)
    assert.include(html, 'Allergies : Kiwi')
    assert.include(html, 'Régime : sans gluten')
    assert.include(html, 'Changer ou supprimer la photo')

    const image = await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(mine.user)
    image.assertStatus(200)
    image.assertHeader('content-type', 'image/png')
    image.assertHeader('x-content-type-options', 'nosniff')
    assert.include(String(image.header('cache-control')), 'private')
  })

  test('a JPEG loses its EXIF (GPS, camera) before it is stored; a WebP is accepted', async ({ client, assert }) => {
    const mine = await makeFamily('Exif')
    ;(await sendPhoto(client, mine.user, mine.child.id, jpegWithExif(), 'IMG_0001.JPG')).assertStatus(302)
    const photo = (await photoOf(mine.child.id))!
    assert.deepEqual([photo.mime, photo.width, photo.height], ['image/jpeg', 60, 48])
    const stored = await drive.use().getBytes(photo.storageKey)
    const text = Buffer.from(stored).toString('latin1')
    assert.notInclude(text, 'Exif')
    assert.notInclude(text, 'GPSLatitude')
    assert.notInclude(text, 'Pixel-7')
    assert.deepEqual([...stored.subarray(0, 2)], [0xff, 0xd8])
    assert.deepEqual([...stored.subarray(-2)], [0xff, 0xd9])

    ;(await sendPhoto(client, mine.user, mine.child.id, WEBP, 'photo.webp', 'image/webp')).assertStatus(302)
    const webp = (await photoOf(mine.child.id))!
    assert.deepEqual([webp.mime, webp.width, webp.height], ['image/webp', 48, 36])
    assert.isFalse(await drive.use().exists(photo.storageKey), 'the replaced file is deleted')
    assert.lengthOf(await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'child-photo-replaced'), 1)
  })

  test('a renamed non-image, a truncated JPEG and a GIF are refused beside the field; nothing is stored', async ({ client, assert }) => {
    const mine = await makeFamily('Faux')
    const cases: [Buffer, string][] = [
      [Buffer.from('MZ\x90\x00 This program cannot be run in DOS mode', 'latin1'), 'photo.jpg'],
      [Buffer.from('%PDF-1.4\n%%EOF\n'), 'photo.png'],
      [JPEG.subarray(0, 300), 'coupee.jpg'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'anim.webp'],
    ]
    for (const [content, name] of cases) {
      const error = await refusal(client, mine.user, mine.child.id, content, name)
      assert.include(error, "n'est pas une image JPEG, PNG ou WebP lisible", name)
    }
    assert.isNull(await photoOf(mine.child.id))
    assert.lengthOf(await HistoryEntry.query().where('family_id', mine.family.id).whereLike('kind', 'child-photo%'), 0)
  })

  test('a photo over 5 MB is refused with its size', async ({ client, assert }) => {
    const mine = await makeFamily('Lourde')
    const big = Buffer.alloc(5 * 1024 * 1024 + 1)
    JPEG.copy(big)
    const error = await refusal(client, mine.user, mine.child.id, big, 'grande.jpg')
    assert.include(error, 'La photo pèse 5,1 Mo : 5 Mo au plus.')
    assert.isNull(await photoOf(mine.child.id))
  })

  test('another family gets a 404 on the photo, its form, its upload and its deletion', async ({ client, assert }) => {
    const mine = await makeFamily('Proprio')
    const other = await makeFamily('Voisin')
    ;(await sendPhoto(client, mine.user, mine.child.id, PNG, 'a.png', 'image/png')).assertStatus(302)
    const before = (await photoOf(mine.child.id))!

    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(other.user)).assertStatus(404)
    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo/modifier`).loginAs(other.user)).assertStatus(404)
    ;(await sendPhoto(client, other.user, mine.child.id, JPEG, 'b.jpg')).assertStatus(404)
    ;(await client.post(`/dossier/enfants/${mine.child.id}/photo/supprimer`).withCsrfToken().loginAs(other.user).redirects(0)).assertStatus(404)
    const after = (await photoOf(mine.child.id))!
    assert.equal(after.storageKey, before.storageKey)
    assert.isTrue(await drive.use().exists(before.storageKey))
    const page = pageText(await client.get('/dossier/enfants').loginAs(other.user))
    assert.notInclude(page, mine.child.firstName)
  })

  // An agent of a service running the child's activity sees it: inscriptions answers
  // dossier.child-staff-services, tested with real registrations in its activity_services.spec.ts.
  test('agents: an administrator sees the photo, an agent of another service or of none gets a 404', async ({ client, assert }) => {
    const mine = await makeFamily('Agents')
    ;(await sendPhoto(client, mine.user, mine.child.id, PNG, 'a.png', 'image/png')).assertStatus(302)
    const admin = await createUser('admin')
    const outsider = await staffOfService('Service des sports')
    const noService = await makeStaff()
    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(admin)).assertStatus(200)
    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(outsider.user)).assertStatus(404)
    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(noService)).assertStatus(404)
    const photoTag = `src="/dossier/enfants/${mine.child.id}/photo"`
    assert.include((await client.get(`/gestion/familles/${mine.family.id}`).loginAs(admin)).text(), photoTag)
    assert.notInclude((await client.get(`/gestion/familles/${mine.family.id}`).loginAs(outsider.user)).text(), photoTag)
    // Agents act from the staff pages: the parents' upload is not theirs.
    ;(await sendPhoto(client, admin, mine.child.id, JPEG, 'b.jpg')).assertStatus(403)
  })

  test('a guardian deletes the photo: the file goes, a history line and an audit entry stay', async ({ client, assert }) => {
    const mine = await makeFamily('Efface')
    ;(await sendPhoto(client, mine.user, mine.child.id, PNG, 'a.png', 'image/png')).assertStatus(302)
    const photo = (await photoOf(mine.child.id))!
    const response = await client.post(`/dossier/enfants/${mine.child.id}/photo/supprimer`).withCsrfToken().loginAs(mine.user)
    response.assertStatus(200)
    assert.include(pageText(response), `La photo ${de(mine.child.firstName)} est supprimée.`)
    assert.isNull(await photoOf(mine.child.id))
    assert.isFalse(await drive.use().exists(photo.storageKey))
    await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'child-photo-deleted').firstOrFail()
    assert.isNotNull(await db.from('audit_logs').where('action', 'dossier.child.photo.delete').where('subject_id', String(mine.child.id)).first())
    ;(await client.get(`/dossier/enfants/${mine.child.id}/photo`).loginAs(mine.user)).assertStatus(404)
  })

  test('the purge of a family deletes its children photos with its documents', async ({ client, assert }) => {
    const mine = await makeFamily('Purgee')
    ;(await sendPhoto(client, mine.user, mine.child.id, PNG, 'a.png', 'image/png')).assertStatus(302)
    const photo = (await photoOf(mine.child.id))!
    const outcome = await retentionService.purge({ id: mine.family.id, reference: mine.family.reference, lastActivity: DateTime.utc() })
    assert.isTrue(outcome.purged)
    assert.equal(outcome.files, 2)
    assert.isNull(await photoOf(mine.child.id))
    assert.isFalse(await drive.use().exists(photo.storageKey))
  })

  test("the family's export names the photo in its JSON and carries the file in its zip", async ({ client, assert }) => {
    const mine = await makeFamily('Export')
    ;(await sendPhoto(client, mine.user, mine.child.id, PNG, 'a.png', 'image/png')).assertStatus(302)
    const data = (await client.get('/dossier/export.json').loginAs(mine.user)).body()
    const file = `photos/${mine.child.firstName}-${mine.child.reference}.png`
    assert.deepInclude(data.children[0].photo, { file, width: 40, height: 30 })
    const chunks: Buffer[] = []
    for await (const chunk of await exportService.documentsZip(mine.family.id)) chunks.push(Buffer.from(chunk))
    assert.include(Buffer.concat(chunks).toString('latin1'), file)
  })

  test("the other guardian of the family sees and replaces the photo the first one added", async ({ client, assert }) => {
    const { users, children } = await createFamily({ guardians: [{}, { firstName: 'Marc' }], children: [{ firstName: 'Inès', reference: 'E1' }] })
    ;(await sendPhoto(client, users[0], children[0].id, PNG, 'a.png', 'image/png')).assertStatus(302)
    ;(await client.get(`/dossier/enfants/${children[0].id}/photo`).loginAs(users[1])).assertStatus(200)
    ;(await sendPhoto(client, users[1], children[0].id, WEBP, 'b.webp', 'image/webp')).assertStatus(302)
    assert.equal((await photoOf(children[0].id))!.mime, 'image/webp')
    const page = pageText(await client.get(`/dossier/enfants`).loginAs(users[1]))
    assert.include(page, `Changer ou supprimer la photo<span class="visually-hidden"> d'Inès</span>`)
  })
})

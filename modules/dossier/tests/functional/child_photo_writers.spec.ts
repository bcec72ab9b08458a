import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import ChildPhoto from '#modules/dossier/models/child_photo'
import HistoryEntry from '#modules/dossier/models/history_entry'
import childPhotoService from '#modules/dossier/services/child_photos'
import { createFamily } from '#modules/dossier/tests/factories'

/** An upload as the body parser hands it over: a temporary file on disk. */
function upload(fixture: string): MultipartFile {
  const bytes = readFileSync(app.makePath('modules/dossier/tests/fixtures', fixture))
  const tmpPath = join(tmpdir(), `child-photo-${process.pid}-${Math.random().toString(36).slice(2)}-${fixture}`)
  writeFileSync(tmpPath, bytes)
  return { tmpPath, size: bytes.length, errors: [], hasErrors: false, clientName: fixture } as unknown as MultipartFile
}

/*
 * Committed rows, no global transaction: both guardians' uploads reach the database at once, as in
 * production (two connections on PostgreSQL, the write lock on SQLite).
 */
test.group('Dossier: two guardians send a photo of the same child at once', (group) => {
  const familyIds: number[] = []
  const userIds: number[] = []
  group.teardown(async () => {
    await Family.query().whereIn('id', familyIds).delete()
    await User.query().whereIn('id', userIds).delete()
  })

  test('one photo stays, the other file is removed, both changes are in the history', async ({ assert }) => {
    const { family, users, child } = await createFamily({ guardians: [{}, { firstName: 'Marc' }], children: [{ firstName: 'Lya', reference: 'E1' }] })
    familyIds.push(family.id)
    userIds.push(...users.map((user) => user.id))

    const saved = await Promise.all([childPhotoService.save(child, upload('photo.png'), users[0]), childPhotoService.save(child, upload('photo.webp'), users[1])])

    const rows = await ChildPhoto.query().where('child_id', child.id)
    assert.lengthOf(rows, 1)
    const kept = rows[0].storageKey
    assert.isTrue(await drive.use().exists(kept))
    const others = saved.map((photo) => photo.storageKey).filter((key) => key !== kept)
    for (const key of others) assert.isFalse(await drive.use().exists(key), 'the replaced file is gone')
    const kinds = (await HistoryEntry.query().where('family_id', family.id).whereLike('kind', 'child-photo%').orderBy('id')).map((entry) => entry.kind)
    assert.deepEqual(kinds, ['child-photo-added', 'child-photo-replaced'])
    await childPhotoService.remove(child, users[0])
    assert.isFalse(await drive.use().exists(kept))
  })
})

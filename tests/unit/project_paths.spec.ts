import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from '@japa/runner'
import { dataPaths, projectRoot } from '#core/project_paths'

/** A checkout: the sources (adonisrc.ts) and a compiled build/ inside, as `node ace build` leaves it. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'portail-paths-'))
  writeFileSync(join(root, 'adonisrc.ts'), '')
  mkdirSync(join(root, 'build'))
  writeFileSync(join(root, 'build', 'adonisrc.js'), '')
  return root
}

const inside = (folder: string, path: string) => !relative(folder, path).startsWith('..')

test.group('Configuration and data paths', (group) => {
  let root: string
  group.each.setup(() => {
    root = checkout()
    return () => rmSync(root, { recursive: true, force: true })
  })

  test('run from the sources or from build/, the same project root', ({ assert }) => {
    assert.equal(projectRoot(root), root)
    assert.equal(projectRoot(join(root, 'build')), root)
    assert.equal(projectRoot(pathToFileURL(join(root, 'build') + sep)), root)
  })

  test('by default, .env, the SQLite file, storage/ and the outbox are in the project root, never in build/', ({ assert }) => {
    const paths = dataPaths(join(root, 'build'), () => undefined)
    assert.deepEqual(paths, {
      envFolder: root,
      sqlite: join(root, 'tmp/portail.sqlite3'),
      storage: join(root, 'storage'),
      outbox: join(root, 'tmp/outbox'),
    })
    for (const path of Object.values(paths)) assert.isFalse(inside(join(root, 'build'), path), path)
    assert.deepEqual(dataPaths(root, () => undefined), paths)
  })

  test('PORTAL_DATA_DIR gathers the data; each path variable still wins; relative paths are read from the project root', ({ assert }) => {
    const values: Record<string, string> = { PORTAL_DATA_DIR: '/var/lib/portail-famille' }
    const read = (name: string) => values[name]
    assert.deepInclude(dataPaths(join(root, 'build'), read), {
      envFolder: root,
      sqlite: '/var/lib/portail-famille/portail.sqlite3',
      storage: '/var/lib/portail-famille/storage',
      outbox: '/var/lib/portail-famille/outbox',
    })
    Object.assign(values, { SQLITE_PATH: 'data/base.sqlite3', STORAGE_PATH: '/srv/fichiers', PORTAL_DATA_DIR: 'donnees' })
    assert.deepInclude(dataPaths(join(root, 'build'), read), {
      sqlite: join(root, 'data/base.sqlite3'),
      storage: '/srv/fichiers',
      outbox: join(root, 'donnees/outbox'),
    })
  })
})

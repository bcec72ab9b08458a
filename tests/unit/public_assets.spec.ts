import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { PublicAssets } from '#core/asset_url'

test.group('Public assets by content hash', (group) => {
  let folder: string
  group.each.setup(() => {
    folder = mkdtempSync(join(tmpdir(), 'portail-public-'))
    mkdirSync(join(folder, 'css'))
    writeFileSync(join(folder, 'css', 'site.css'), 'body { color: black }')
    writeFileSync(join(folder, 'favicon.svg'), '<svg/>')
    return () => rmSync(folder, { recursive: true, force: true })
  })

  test('a URL per content; the hashed URL leads back to the file; unknown files and other paths are left alone', ({ assert }) => {
    const assets = new PublicAssets(folder, false)
    const url = assets.url('/css/site.css')
    assert.match(url, /^\/css\/site\.[0-9a-f]{10}\.css$/)
    assert.deepEqual(assets.resolve(url), { path: '/css/site.css', current: true })
    assert.match(assets.url('/favicon.svg'), /^\/favicon\.[0-9a-f]{10}\.svg$/)
    assert.equal(assets.url('/css/absent.css'), '/css/absent.css')
    assert.equal(assets.url('/../secret.css'), '/../secret.css')
    assert.isNull(assets.resolve('/css/site.css'))
    assert.isNull(assets.resolve('/css/absent.0123456789.css'))
    assert.isNull(assets.resolve('/css/../../etc/passwd.0123456789.css'))

    writeFileSync(join(folder, 'css', 'site.css'), 'body { color: navy }')
    assert.notEqual(assets.url('/css/site.css'), url, 'development: a change is a new URL at once')
    assert.deepEqual(assets.resolve(url), { path: '/css/site.css', current: false })
  })

  test('production: every file hashed once, nothing read again, unknown names not remembered', ({ assert }) => {
    const assets = new PublicAssets(folder, true)
    const url = assets.url('/css/site.css')
    writeFileSync(join(folder, 'css', 'site.css'), 'body { color: navy }')
    writeFileSync(join(folder, 'css', 'later.css'), '')
    assert.equal(assets.url('/css/site.css'), url)
    assert.equal(assets.url('/css/later.css'), '/css/later.css')
    for (let index = 0; index < 100; index++) assert.isNull(assets.resolve(`/css/n${index}.0123456789.css`))
    assert.deepEqual(assets.resolve(url), { path: '/css/site.css', current: true })
  })
})

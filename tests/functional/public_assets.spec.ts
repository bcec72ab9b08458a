import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { IMMUTABLE } from '#core/asset_url'

/*
 * Public files are linked by their content hash and cached a year; the plain path still works
 * (an hour's cache); the favicon is linked from every page.
 */

const hashOf = (path: string) => createHash('sha256').update(readFileSync(app.publicPath(path.slice(1)))).digest('hex').slice(0, 10)

test.group('Public assets', () => {
  test('the layout links the stylesheet and the favicon by their content hash, served with a year of cache', async ({ client, assert }) => {
    const page = await client.get('/')
    const css = `/css/portal.${hashOf('/css/portal.css')}.css`
    const icon = `/favicon.${hashOf('/favicon.svg')}.svg`
    assert.include(page.text(), `<link rel="stylesheet" href="${css}">`)
    assert.include(page.text(), `<link rel="icon" href="${icon}" type="image/svg+xml">`)

    const stylesheet = await client.get(css)
    stylesheet.assertStatus(200)
    assert.equal(stylesheet.header('cache-control'), IMMUTABLE)
    assert.include(stylesheet.header('content-type'), 'text/css')
    assert.equal(stylesheet.text(), readFileSync(app.publicPath('css/portal.css'), 'utf8'))

    const favicon = await client.get(icon)
    favicon.assertStatus(200)
    assert.equal(favicon.header('cache-control'), IMMUTABLE)
    assert.include(favicon.header('content-type'), 'image/svg+xml')
  })

  test('the plain path keeps an hour of cache; an outdated hash gets the current file without the long cache; an unknown file is a 404', async ({ client, assert }) => {
    const plain = await client.get('/js/session_timeout.js')
    plain.assertStatus(200)
    assert.equal(plain.header('cache-control'), 'public, max-age=3600')

    const outdated = await client.get('/css/portal.0123456789.css')
    outdated.assertStatus(200)
    assert.notInclude(outdated.header('cache-control') ?? '', 'immutable')
    assert.equal(outdated.text(), readFileSync(app.publicPath('css/portal.css'), 'utf8'))

    const missing = await client.get('/css/absent.0123456789.css')
    missing.assertStatus(404)
    assert.notInclude(missing.header('cache-control') ?? '', 'immutable')
  })
})

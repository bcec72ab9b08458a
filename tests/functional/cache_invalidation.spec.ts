import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { HttpContext } from '@adonisjs/core/http'
import { CommuneSettingsService, readSettingsRow } from '#services/commune_settings'
import { VisitorPageCache } from '#core/visitor_page_cache'

/** A promise settled from outside: a database or a rendering that answers when the test says. */
function later<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((settle) => (resolve = settle))
  return { promise, resolve }
}

/** What VisitorPageCache reads of a request: a visitor, no flash message, its nonce and token. */
function visitor(nonce: string, token: string) {
  return {
    auth: { user: null },
    session: { flashMessages: { isEmpty: true }, responseFlashMessages: { isEmpty: true } },
    response: { nonce },
    request: { csrfToken: token },
  } as unknown as HttpContext
}

/*
 * The in-process copies of the commune's settings and of the visitors' pages are dropped when
 * this process changes what they show. A read or a rendering that began before the change and
 * ends after it answers the request that asked for it, but is not kept: the next request sees
 * the change at once (and not TTL_MS later).
 */
test.group('In-process copies: a change in the middle of a read', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('settings read before an update and answered after it are not kept', async ({ assert }) => {
    const slowRead = later<{ value: string }>()
    let reads = 0
    const settings = new CommuneSettingsService(() => (reads++ === 0 ? slowRead.promise : readSettingsRow()))

    const askedBefore = settings.get()
    await settings.update({ name: 'Levens' })
    slowRead.resolve({ value: JSON.stringify({ name: 'Colomars' }) })

    assert.equal((await askedBefore).name, 'Colomars')
    assert.equal((await settings.get()).name, 'Levens')
    assert.equal((await settings.get()).name, 'Levens')
    assert.equal(reads, 2)
  })

  test('settings read after an update are kept as before: one read for many requests', async ({ assert }) => {
    let reads = 0
    const settings = new CommuneSettingsService(() => {
      reads++
      return readSettingsRow()
    })
    await settings.update({ name: 'Levens' })
    const names = await Promise.all([settings.get(), settings.get(), settings.get()])
    assert.deepEqual(
      names.map((value) => value.name),
      ['Levens', 'Levens', 'Levens']
    )
    assert.equal((await settings.get()).name, 'Levens')
    assert.equal(reads, 1)
  })

  test('a visitor page rendered before an invalidation and finished after it is not served again', async ({ assert }) => {
    const pages = new VisitorPageCache()
    const slowRendering = later<string>()

    const renderingBegun = later<void>()
    const firstVisitor = pages.render('home', visitor('n1', 't1'), () => {
      renderingBegun.resolve()
      return slowRendering.promise
    })
    // The rendering has begun (after its settings read) when the article is published.
    await renderingBegun.promise
    pages.invalidate()
    slowRendering.resolve('<p>Sans l’article</p><input value="t1">')

    assert.equal(await firstVisitor, '<p>Sans l’article</p><input value="t1">')
    const nextVisitor = await pages.render('home', visitor('n2', 't2'), async () => '<p>Avec l’article</p><input value="t2">')
    assert.equal(nextVisitor, '<p>Avec l’article</p><input value="t2">')
  })

  test('a visitor page rendered without an invalidation is shared, with each visitor’s own token', async ({ assert }) => {
    const pages = new VisitorPageCache()
    let renderings = 0
    const render = (token: string) => async () => {
      renderings++
      return `<p>Accueil</p><input value="${token}">`
    }
    assert.equal(await pages.render('home', visitor('n1', 't1'), render('t1')), '<p>Accueil</p><input value="t1">')
    assert.equal(await pages.render('home', visitor('n2', 't2'), render('t2')), '<p>Accueil</p><input value="t2">')
    assert.equal(renderings, 1)
  })
})

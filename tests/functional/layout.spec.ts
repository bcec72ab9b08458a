import { test } from '@japa/runner'
import { CookieAgent } from '#tests/helpers/cookie_agent'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import moduleRegistry from '#core/module_registry'
import { createUser } from '#tests/helpers/users'
import { accessibilityDeclaration } from '#services/accessibility_audit'

test.group('Layout and core pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('public pages use the layout: title with the commune, skip link, footer links', async ({ client, assert }) => {
    await communeSettings.update({
      name: 'Colomars',
      contacts: [{ label: 'Service Enfance', phone: '04 93 00 00 01', address: '1 place de la Mairie' }],
    })
    for (const [url, title] of [
      ['/', 'Accueil'],
      ['/accessibilite', 'Accessibilité'],
      ['/mentions-legales', 'Mentions légales'],
      ['/donnees-personnelles', 'Données personnelles'],
    ]) {
      const response = await client.get(url)
      response.assertStatus(200)
      const html = response.text()
      assert.include(html, `<title>${title} — Colomars</title>`, url)
      assert.include(html, 'Aller au contenu')
      assert.include(html, 'href="/accessibilite"')
      assert.include(html, 'href="/mentions-legales"')
      assert.include(html, 'href="/donnees-personnelles"')
      assert.include(html, 'Service Enfance')
      assert.equal(html.match(/<h1[ >]/g)?.length, 1, `${url} has one h1`)
    }
  })

  test('the result of a submission comes first in the title, and the page focuses it (RGAA 7.5)', async ({ client, assert }) => {
    await communeSettings.update({ name: 'Colomars' })
    const parent = await createUser('parent')
    const page = (flash: Record<string, any>) => client.get('/messagerie/nouveau').loginAs(parent).withFlashMessages(flash)

    const refused = (await page({ inputErrorsBag: { body: ['Écrivez votre message.'], subject: ['Trop long.'] } })).text()
    assert.include(refused, '<title>Erreur : le formulaire contient 2 erreurs — Nous envoyer un message — Colomars</title>')
    assert.match(refused, /src="\/js\/focus_result\.[0-9a-f]+\.js"/)

    const saved = (await page({ alert: { success: 'Message envoyé.' } })).text()
    assert.include(saved, '<title>Succès : Message envoyé. — Nous envoyer un message — Colomars</title>')
    assert.match(saved, /<div class="alert alert--success" role="status" tabindex="-1" data-result>/)

    const plain = (await page({})).text()
    assert.include(plain, '<title>Nous envoyer un message — Colomars</title>')
    assert.notInclude(plain, 'focus_result')
  })

  test('the accessibility statement says its level, computed from the audit', async ({ client }) => {
    const response = await client.get('/accessibilite')
    response.assertTextIncludes(`Accessibilité : ${accessibilityDeclaration().summary.status}`)
  })

  test('an unknown URL gets the French 404 page in the layout', async ({ client, assert }) => {
    const response = await client.get('/cette-page-n-existe-pas')
    response.assertStatus(404)
    assert.include(response.text(), 'Page introuvable')
    assert.include(response.text(), 'Aller au contenu')
  })

  test('an unknown URL, signed in, keeps the signed-in layout: name, menu, a working logout', async ({ client, assert }) => {
    const parent = await createUser('parent', { fullName: 'Paulette Égarée' })
    const response = await client.get('/nimporte-quoi').loginAs(parent)
    response.assertStatus(404)
    const html = response.text()
    assert.include(html, 'Page introuvable')
    assert.include(html, 'Paulette Égarée')
    assert.include(html, 'Se déconnecter')
    assert.include(html, 'href="/accueil">Revenir')
    assert.match(html, /<form method="POST" action="\/deconnexion"[^>]*>\s*<input type=['"]hidden['"] name=['"]_csrf['"] value=['"][\w-]+['"]/)
    for (const entry of moduleRegistry.parentNav) assert.include(html, `>${entry.label}</a>`)

    const agent = await createUser('staff', { fullName: 'Agathe Perdue' })
    const staffPage = await client.get('/gestion/nimporte-quoi').loginAs(agent)
    staffPage.assertStatus(404)
    assert.include(staffPage.text(), 'Agathe Perdue')
    assert.include(staffPage.text(), 'aria-label="Menu de gestion"')

    const posted = await client.post('/nimporte-quoi').loginAs(parent)
    posted.assertStatus(404)

    const visitor = await client.get('/nimporte-quoi')
    visitor.assertStatus(404)
    assert.include(visitor.text(), 'Se connecter')
    assert.notInclude(visitor.text(), 'Se déconnecter')
  })

  test('a visitor asking a private page is sent to the login page', async ({ client }) => {
    const response = await client.get('/accueil').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/connexion')
  })

  test('a parent gets the 403 page on /gestion; an agent gets the staff area', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const refused = await client.get('/gestion').loginAs(parent)
    refused.assertStatus(403)
    assert.include(refused.text(), 'Accès refusé')
    assert.notInclude(refused.text(), 'TABLEAU DE BORD')

    const agent = await createUser('staff')
    const allowed = await client.get('/gestion').loginAs(agent)
    allowed.assertStatus(200)
    assert.include(allowed.text(), 'Gestion du portail')
    assert.include(allowed.text(), 'aria-label="Menu de gestion"')
  })

  test('the parent home shows the private menu with ACCUEIL marked current', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const response = await client.get('/accueil').loginAs(parent)
    response.assertStatus(200)
    assert.match(response.text(), /<a href="\/accueil" aria-current="page">ACCUEIL<\/a>/)
  })

  test('the home tiles draw the portal\'s own SVG icons, hidden from screen readers, never an emoji', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const html = (await client.get('/accueil').loginAs(parent)).text()
    const tiles = [...html.matchAll(/<h2 id="tile-[^"]+" class="tile__title">([\s\S]*?)<\/h2>/g)].map((match) => match[1])
    assert.lengthOf(tiles, moduleRegistry.tiles.length)
    for (const title of tiles) {
      assert.match(title, /^<span class="tile__icon"><svg class="icon" viewBox="0 0 24 24"[^>]* aria-hidden="true">/)
      assert.notMatch(title, /\p{Extended_Pictographic}/u, title)
    }
  })

  test('the commune colours are themed through custom properties', async ({ client, assert }) => {
    await communeSettings.update({ colorPrimary: '#004c3f' })
    const response = await client.get('/')
    assert.include(response.text(), '--color-primary: #004c3f;')
  })
})

test.group('Security', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('security headers on every page', async ({ client, assert }) => {
    const response = await client.get('/')
    const csp = response.header('content-security-policy') ?? ''
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9_-]+'/)
    assert.notInclude(csp, 'unsafe-inline')
    assert.include(csp, "frame-ancestors 'none'")
    assert.equal(response.header('strict-transport-security'), 'max-age=31536000; includeSubDomains')
    assert.equal(response.header('x-frame-options'), 'DENY')
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    const nonce = /nonce-([A-Za-z0-9_-]+)/.exec(csp)![1]
    assert.include(response.text(), `nonce="${nonce}"`)
  })

  test('the session cookie is HttpOnly and SameSite=Lax', async ({ assert }) => {
    // A new browser (the test client always sends a session, whose id is not sent back again).
    const browser = new CookieAgent()
    await browser.get('/')
    const cookie = browser.lastSetCookies.find((c) => c.startsWith('portail-session='))
    assert.exists(cookie)
    assert.include(cookie!, 'HttpOnly')
    assert.include(cookie!, 'SameSite=Lax')
  })

  test('a form posted without its CSRF token gets the French 419 page', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const response = await client.post('/deconnexion').loginAs(parent)
    response.assertStatus(419)
    assert.include(response.text(), 'Formulaire expiré')
    assert.include(response.text(), 'est gardé sur cet appareil')
    assert.notInclude(response.text(), 'Revenir au formulaire')
  })

  test('the 419 page links back to the form it came from on this site, never to another site', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const from = (referer: string) => client.post('/deconnexion').header('referer', referer).loginAs(parent)
    const own = await from(`http://${process.env.HOST}:${process.env.PORT}/messagerie/nouveau?service=2`)
    own.assertStatus(419)
    assert.include(own.text(), '<a href="/messagerie/nouveau?service=2">Revenir au formulaire</a>')
    const foreign = await from('https://example.org/messagerie/nouveau')
    assert.notInclude(foreign.text(), 'Revenir au formulaire')
    assert.notInclude(foreign.text(), 'example.org')
  })
})

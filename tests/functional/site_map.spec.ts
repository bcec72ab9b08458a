import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import moduleRegistry from '#core/module_registry'
import { createUser } from '#tests/helpers/users'

/** The links of the page's main, as "label → href". */
function linksOf(html: string) {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'))
  return [...main.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((match) => `${match[2].trim()} → ${match[1]}`)
}

test.group('Plan du site (RGAA 12.1)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every page links it from the footer; a visitor sees the public pages and the login', async ({ client, assert }) => {
    const home = await client.get('/')
    assert.match(home.text(), /<footer[\s\S]*<a href="\/plan-du-site"\s*>Plan du site<\/a>/)
    const page = await client.get('/plan-du-site')
    page.assertStatus(200)
    assert.include(page.text(), '<title>Plan du site — ')
    const links = linksOf(page.text())
    for (const expected of ['Accueil → /', 'Se connecter → /connexion', 'Accessibilité → /accessibilite', 'Mentions légales → /mentions-legales', 'Données personnelles → /donnees-personnelles']) {
      assert.include(links, expected)
    }
    for (const entry of moduleRegistry.publicNav) assert.isTrue(links.some((line) => line.toLowerCase().startsWith(entry.label.toLowerCase() + ' →')), entry.label)
    assert.notInclude(page.text(), 'Espace famille')
    assert.notInclude(page.text(), 'Mon compte')
  })

  test('a parent sees the family space of the enabled modules; staff see the staff space too', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const forParent = await client.get('/plan-du-site').loginAs(parent)
    const links = linksOf(forParent.text())
    assert.include(links, 'Accueil de votre espace → /accueil')
    assert.include(links, 'Mon compte → /mon-compte')
    for (const entry of moduleRegistry.parentNav) assert.isTrue(links.some((line) => line.toLowerCase().startsWith(entry.label.toLowerCase() + ' →')), entry.label)
    // Every home tile's link is there (under the tile's title when the menu does not give it).
    for (const href of moduleRegistry.tiles.flatMap((tile) => tile.links.map((entry) => router.makeUrl(entry.route)))) {
      assert.isTrue(links.some((line) => line.endsWith(`→ ${href}`)), href)
    }
    assert.notInclude(forParent.text(), '>Gestion</h2>')
    assert.notInclude(links.join('\n'), 'Se connecter')

    const agent = await createUser('staff')
    const forStaff = linksOf((await client.get('/plan-du-site').loginAs(agent)).text())
    assert.include(forStaff, 'Tableau de bord → /gestion')
    for (const entry of moduleRegistry.staffNav) assert.isTrue(forStaff.some((line) => line.toLowerCase().startsWith(entry.label.toLowerCase() + ' →')), entry.label)
  })
})

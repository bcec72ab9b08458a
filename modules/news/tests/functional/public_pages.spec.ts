import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import communeSettings from '#services/commune_settings'
import CareStructure from '#modules/news/models/care_structure'
import CanteenMenu from '#modules/news/models/canteen_menu'
import CommunePage from '#modules/news/models/commune_page'
import { renderRichText } from '#modules/news/services/rich_text'
import { weekStart } from '#modules/news/services/menu_service'
import { createArticle, statusOf, textOf } from '#modules/news/tests/factories'
import { xmlProblems } from '#modules/news/tests/xml_check'
import { accountsCgu } from '#modules/news/services/terms_service'
import { createUser } from '#tests/helpers/users'

function h1Count(html: string) {
  return html.match(/<h1[ >]/g)?.length ?? 0
}

test.group('News: public pages, logged out', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the home shows the latest news with the guide date and "Lire la suite", and the blocks', async ({ client, assert }) => {
    await communeSettings.update({ name: 'Colomars' })
    await createArticle({ title: 'Bienvenue à Colomars !', body: 'Utile au quotidien, ce portail vous simplifiera la vie !', publishedAt: DateTime.fromISO('2023-05-10T09:00', { zone: 'Europe/Paris' }) })
    const response = await client.get('/')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '10 MAI 2023')
    assert.include(html, 'Bienvenue à Colomars !')
    assert.include(html, 'Lire la suite')
    assert.include(html, 'TÉLÉCHARGER')
    assert.include(html, 'href="/infos-pratiques/documents">Nos documents</a>')
    assert.include(html, 'NOTRE GESTION POUR')
    for (const href of ['/pages/enfance', '/pages/jeunesse', '/pages/ecoles']) assert.include(html, `href="${href}"`)
    assert.match(html, /<a href="\/actualites"\s*>ACTUALITÉS<\/a>/)
    assert.match(html, /<a href="\/infos-pratiques"\s*>INFOS PRATIQUES<\/a>/)
    assert.equal(h1Count(html), 1)
  })

  test('the news list is newest first and paginated; an article shows its body', async ({ client, assert }) => {
    const now = DateTime.utc()
    for (let index = 0; index < 12; index++) {
      await createArticle({ title: `Article numéro ${String(index).padStart(2, '0')}`, publishedAt: now.minus({ days: index + 1 }) })
    }
    const first = await client.get('/actualites')
    first.assertStatus(200)
    const html = first.text()
    assert.isBelow(html.indexOf('Article numéro 00'), html.indexOf('Article numéro 01'))
    assert.notInclude(html, 'Article numéro 11')
    assert.match(html, /aria-label="[^"]*Page suivante"/)
    assert.equal(h1Count(html), 1)

    const second = await client.get('/actualites').qs({ page: 2 })
    assert.include(second.text(), 'Article numéro 11')

    const article = await createArticle({ title: 'Horaires', body: '## Le matin\n- 7 h 30\n- 8 h 30\n\n[Mairie](https://mairie.example)' })
    const page = await client.get(`/actualites/${article.slug}`)
    page.assertStatus(200)
    assert.include(page.text(), '<h2>Le matin</h2>')
    assert.include(page.text(), '<ul><li>7 h 30</li><li>8 h 30</li></ul>')
    assert.include(page.text(), '<a href="https://mairie.example">Mairie</a>')
    assert.equal(h1Count(page.text()), 1)
  })

  test('a scheduled article appears only from its publication instant', async ({ client, assert }) => {
    const article = await createArticle({ title: 'Fête de fin année programmée', publishedAt: DateTime.utc().plus({ days: 2 }) })
    const draft = await createArticle({ title: 'Brouillon secret', publishedAt: null })

    for (const url of ['/', '/actualites', '/actualites/flux.xml']) {
      const response = await client.get(url)
      assert.notInclude(response.text(), 'Fête de fin année programmée', url)
      assert.notInclude(response.text(), 'Brouillon secret', url)
    }
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 404)
    assert.equal(await statusOf(client.get(`/actualites/${draft.slug}`)), 404)

    // One second before its instant it is still hidden; from the instant on it is shown.
    article.publishedAt = DateTime.utc().plus({ seconds: 30 })
    await article.save()
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 404)
    article.publishedAt = DateTime.utc().minus({ seconds: 1 })
    await article.save()
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 200)
    assert.include(await textOf(client.get('/actualites')), 'Fête de fin année programmée')
    assert.include(await textOf(client.get('/')), 'Fête de fin année programmée')
  })

  test('the home page shared by visitors shows an article saved or deleted at once', async ({ client, assert }) => {
    assert.notInclude(await textOf(client.get('/')), 'Ouverture du centre de loisirs')
    const article = await createArticle({ title: 'Ouverture du centre de loisirs', publishedAt: DateTime.utc().minus({ minutes: 1 }) })
    assert.include(await textOf(client.get('/')), 'Ouverture du centre de loisirs')
    await article.delete()
    assert.notInclude(await textOf(client.get('/')), 'Ouverture du centre de loisirs')
  })

  test('publication instants are stored in UTC', async ({ assert }) => {
    const article = await createArticle({ publishedAt: DateTime.fromISO('2030-07-01T10:00', { zone: 'Europe/Paris' }) })
    const row = await db.from('news_articles').where('id', article.id).first()
    const stored = row.published_at instanceof Date ? row.published_at.toISOString() : String(row.published_at)
    assert.match(stored, /^2030-07-01[ T]08:00:00/)
    await article.refresh()
    assert.equal(article.publishedAt!.toUTC().toISO(), '2030-07-01T08:00:00.000Z')
  })

  test('a <script> or an onerror attribute never reaches the article page, even if stored', async ({ client, assert }) => {
    const article = await createArticle({ title: 'Piège', body: 'Bonjour' })
    // Written directly, bypassing the editor: the page sanitizes again on display.
    await db
      .from('news_articles')
      .where('id', article.id)
      .update({ body_html: '<p>Bonjour</p><script>alert("x")</script><img src="x" onerror="alert(1)"><p onmouseover="alert(2)">survol</p><a href="javascript:alert(3)">lien</a>' })
    const response = await client.get(`/actualites/${article.slug}`)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Bonjour')
    assert.include(html, 'survol')
    assert.notMatch(html, /alert\(/)
    assert.notInclude(html, 'onerror')
    assert.notInclude(html, 'onmouseover')
    assert.notInclude(html, 'javascript:')
    assert.notInclude(await textOf(client.get('/')), 'onerror')
  })

  test('infos pratiques lists documents, structures and the week menus with allergens', async ({ client, assert }) => {
    await CareStructure.create({
      name: 'Accueil de loisirs Les Pitchouns',
      address: '2 chemin des écoles',
      phones: 'Accueil : 06 29 93 85 45\nBureau : 04 93 98 50 63',
      openingHours: 'Mercredi : 7 h 30 – 18 h 30',
      ageGroups: 'De 3 à 11 ans',
      position: 0,
    })
    const monday = weekStart(null)
    await CanteenMenu.create({ school: 'École du Village', day: monday.toISODate()!, starter: 'Carottes', mainCourse: 'Lasagnes', dessert: 'Pomme', allergens: 'Gluten, lait' })
    await CanteenMenu.create({ school: 'École des Plans', day: monday.toISODate()!, mainCourse: 'Poisson pané', allergens: 'Poisson' })
    const response = await client.get('/infos-pratiques')
    response.assertStatus(200)
    const html = response.text()
    for (const words of ['Documents à télécharger', 'Accueil de loisirs Les Pitchouns', '06 29 93 85 45', 'De 3 à 11 ans', 'Mercredi : 7 h 30 – 18 h 30', 'Lasagnes', 'Gluten, lait', 'École du Village', 'École des Plans', 'Poisson pané']) {
      assert.include(html, words)
    }
    assert.equal(h1Count(html), 1)

    const nextWeek = await client.get('/infos-pratiques').qs({ semaine: monday.plus({ weeks: 1 }).toISODate() })
    assert.notInclude(nextWeek.text(), 'Lasagnes')
    assert.include(nextWeek.text(), 'Pas de menu publié pour cette semaine.')
  })

  test("the commune's pages and the CGU are public", async ({ client, assert }) => {
    await CommunePage.create({ slug: 'enfance', title: "Notre gestion pour l'Enfance", bodySource: '## Périscolaire', bodyHtml: renderRichText('## Périscolaire') })
    const page = await client.get('/pages/enfance')
    page.assertStatus(200)
    assert.match(page.text(), /<h1>Notre gestion pour l(&#39;|&#x27;|')Enfance<\/h1>/)
    assert.include(page.text(), '<h2>Périscolaire</h2>')
    assert.equal(await statusOf(client.get('/pages/inconnue')), 404)

    await CommunePage.create({ slug: 'cgu', title: 'CGU de la commune', bodySource: 'Texte communal des CGU', bodyHtml: renderRichText('Texte communal des CGU') })
    const terms = await client.get('/cgu')
    terms.assertStatus(200)
    assert.equal(h1Count(terms.text()), 1)
    const cgu = await accountsCgu()
    if (cgu) {
      // The accounts module owns the text parents accept: its version is the one shown.
      assert.include(terms.text(), `Version ${cgu.version}`)
      assert.notInclude(terms.text(), 'Texte communal des CGU')
    } else {
      assert.include(terms.text(), 'Texte communal des CGU')
    }
  })

  test('the feed is well-formed RSS with the published items only and absolute links', async ({ client, assert }) => {
    await communeSettings.update({ name: 'Saint-Jean & Co' })
    const published = await createArticle({ title: 'Menus & <goûters>' })
    await createArticle({ title: 'Pas encore', publishedAt: DateTime.utc().plus({ hours: 3 }) })
    await createArticle({ title: 'Jamais publié', publishedAt: null })
    const response = await client.get('/actualites/flux.xml')
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^application\/rss\+xml/)
    const xml = response.text()
    assert.deepEqual(xmlProblems(xml), [])
    assert.include(xml, '<title>Menus &amp; &lt;goûters&gt;</title>')
    assert.match(xml, new RegExp(`<link>https?://[^<]+/actualites/${published.slug}</link>`))
    assert.notInclude(xml, 'Pas encore')
    assert.notInclude(xml, 'Jamais publié')
    assert.equal(xml.match(/<item>/g)?.length, 1)
  })

  test('a signed-in parent reads the news in the private space, with ACTUALITÉS marked current and a home tile', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const article = await createArticle({ title: 'Pour les familles connectées' })
    const list = await client.get('/actualites').loginAs(parent)
    list.assertStatus(200)
    assert.match(list.text(), /<a href="\/actualites" aria-current="page">ACTUALITÉS<\/a>/)
    assert.include(list.text(), 'Pour les familles connectées')
    assert.include(list.text(), 'rel="alternate" type="application/rss+xml"')
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`).loginAs(parent)), 200)
    const home = await client.get('/accueil').loginAs(parent)
    assert.include(home.text(), 'Consulter les dernières actualités')
  })
})

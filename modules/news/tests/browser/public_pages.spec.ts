import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import { useColomars } from '#tests/helpers/commune'
import { assertAccessible } from '#tests/helpers/browser'
import { createUser } from '#tests/helpers/users'
import NewsDocument from '#modules/news/models/news_document'
import CareStructure from '#modules/news/models/care_structure'
import CanteenMenu from '#modules/news/models/canteen_menu'
import CommunePage from '#modules/news/models/commune_page'
import { renderRichText } from '#modules/news/services/rich_text'
import { weekStart } from '#modules/news/services/menu_service'
import { createArticle, STAFF_PAGES, tinyPdf } from '#modules/news/tests/factories'

async function seedPublicSpace({ manyArticles = true } = {}) {
  await useColomars()
  const article = await createArticle({
    title: 'Bienvenue à Colomars !',
    body: "Utile au quotidien, ce portail vous simplifiera la vie !\n\n## Ce que vous pouvez faire\n- inscrire vos enfants ;\n- payer vos factures.\n\n### Pour en savoir plus\nVoir [les infos pratiques](/infos-pratiques) ou écrire à [la mairie](mailto:enfance@mairie.example).",
    publishedAt: DateTime.fromISO('2023-05-10T09:00', { zone: 'Europe/Paris' }),
  })
  if (manyArticles) for (let index = 0; index < 11; index++) await createArticle({ publishedAt: DateTime.utc().minus({ days: index + 1 }) })
  const key = `news/documents/test-${Date.now()}.pdf`
  const pdf = tinyPdf()
  await drive.use().put(key, pdf)
  await NewsDocument.create({ title: "Guide d'utilisation", fileKey: key, fileName: 'guide.pdf', mime: 'application/pdf', size: pdf.length })
  await CareStructure.create({
    name: 'Accueil de loisirs',
    address: 'Chemin des écoles',
    phones: 'Accueil de loisirs : 06 29 93 85 45\nMairie : 04 92 15 18 50',
    openingHours: 'Mercredi et vacances : 7 h 30 – 18 h 30',
    ageGroups: 'De 3 à 11 ans',
    position: 0,
  })
  const monday = weekStart(null)
  for (const offset of [0, 1, 3, 4]) {
    await CanteenMenu.create({ school: '', day: monday.plus({ days: offset }).toISODate()!, starter: 'Carottes râpées', mainCourse: 'Poulet, haricots verts', dessert: 'Yaourt', allergens: offset === 1 ? null : 'Lait' })
  }
  await CommunePage.create({ slug: 'enfance', title: "Notre gestion pour l'Enfance", bodySource: '## Périscolaire\nLe matin et le soir.', bodyHtml: renderRichText('## Périscolaire\nLe matin et le soir.') })
  return article
}

test.group('News pages in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('home, news list, an article, infos pratiques and the other public pages pass axe-core', async ({ visit, assert }) => {
    const article = await seedPublicSpace()
    const pages: Record<string, string> = {
      '/': 'Accueil — Colomars',
      '/actualites': 'Actualités — Colomars',
      '/actualites?page=2': 'Actualités — page 2 — Colomars',
      [`/actualites/${article.slug}`]: 'Bienvenue à Colomars ! — Colomars',
      '/infos-pratiques': 'Infos pratiques — Colomars',
      '/infos-pratiques/documents': 'Nos documents — Colomars',
      '/pages/enfance': "Notre gestion pour l'Enfance — Colomars",
      '/cgu': "Conditions générales d'utilisation — Colomars",
    }
    for (const [url, title] of Object.entries(pages)) {
      const page = await visit(url)
      assert.equal(await page.title(), title, url)
      assert.equal(await page.locator('h1').count(), 1, url)
      await assertAccessible(page)
    }
  })

  test('the home shows the news in the guide style and leads to the article', async ({ visit, assert }) => {
    await seedPublicSpace({ manyArticles: false })
    const page = await visit('/')
    assert.include(await page.locator('.news-home').innerText(), '10 MAI 2023')
    await page.getByRole('link', { name: 'Lire la suite : Bienvenue à Colomars !' }).click()
    await page.waitForURL('**/actualites/**')
    assert.equal(await page.locator('h1').innerText(), 'Bienvenue à Colomars !')
    assert.equal(await page.locator('.prose h2').innerText(), 'Ce que vous pouvez faire')
  })

  test('infos pratiques is usable at 320 px: nothing scrolls sideways', async ({ visit, assert }) => {
    await seedPublicSpace()
    const page = await visit('/infos-pratiques')
    await page.setViewportSize({ width: 320, height: 640 })
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)
    assert.isAtMost(width, 320)
  })

  test('the feed parses as XML in the browser and holds only published items', async ({ visit, assert }) => {
    await seedPublicSpace()
    await createArticle({ title: 'Plus tard & <bientôt>', publishedAt: DateTime.utc().plus({ days: 1 }) })
    await createArticle({ title: 'Éléments & <balises> "citées"' })
    const page = await visit('/actualites')
    const result = await page.evaluate(async () => {
      const response = await fetch('/actualites/flux.xml')
      const doc = new (globalThis as any).DOMParser().parseFromString(await response.text(), 'application/xml')
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        titles: Array.from(doc.querySelectorAll('item > title')).map((node: any) => node.textContent),
        links: Array.from(doc.querySelectorAll('item > link')).map((node: any) => node.textContent),
      }
    })
    assert.equal(result.errors, 0)
    assert.include(result.titles, 'Éléments & <balises> "citées"')
    assert.include(result.titles, 'Bienvenue à Colomars !')
    assert.notInclude(result.titles, 'Plus tard & <bientôt>')
    for (const link of result.links) assert.match(link, /^https?:\/\/[^/]+\/actualites\/[a-z0-9-]+$/)
  })

  test('the staff pages pass axe-core, forms included after a refused submit', async ({ visit, browserContext, assert }) => {
    await seedPublicSpace()
    const agent = await createUser('staff')
    await browserContext.loginAs(agent)
    const article = await createArticle({ title: 'À relire', publishedAt: null, authorId: agent.id })
    for (const url of [...STAFF_PAGES, `/gestion/actualites/${article.id}/modifier`, `/gestion/actualites/${article.id}/apercu`, `/gestion/actualites/${article.id}/supprimer`]) {
      const page = await visit(url)
      assert.equal(await page.locator('h1').count(), 1, url)
      await assertAccessible(page)
    }

    const form = await visit('/gestion/actualites/nouvelle')
    await form.locator('#field-title').fill('Un')
    await form.getByRole('button', { name: 'ENREGISTRER' }).click()
    await form.waitForSelector('.error-summary')
    assert.include(await form.locator('.error-summary').innerText(), 'Texte')
    assert.equal(await form.locator('#field-title').inputValue(), 'Un')
    await assertAccessible(form)
  })
})

import { test } from '@japa/runner'
import { statusOf } from '#modules/news/tests/factories'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import communeSettings from '#services/commune_settings'
import type { DemoContext } from '#core/demo'
import { createUser } from '#tests/helpers/users'
import seedNewsDemo from '#modules/news/database/seeders/demo'
import NewsArticle from '#modules/news/models/news_article'
import NewsDocument from '#modules/news/models/news_document'
import CareStructure from '#modules/news/models/care_structure'
import CanteenMenu from '#modules/news/models/canteen_menu'
import CommunePage from '#modules/news/models/commune_page'

function context(): DemoContext {
  return { logins: [], state: {}, now: DateTime.now().setZone('Europe/Paris'), enabled: () => true }
}

test.group('News: demo seeder', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('fills the public space once: news dated like the guide, two PDFs, a structure, a week of menus, the pages', async ({ client, assert }) => {
    await communeSettings.update({ name: 'Colomars' })
    const agent = await createUser('staff')
    await seedNewsDemo(context())
    await seedNewsDemo(context())

    const welcome = await NewsArticle.findByOrFail('title', 'Bienvenue à Colomars !')
    assert.equal(welcome.authorId, agent.id)
    const home = await client.get('/')
    assert.include(home.text(), 'Lire la suite')
    const list = await client.get('/actualites')
    assert.include(list.text(), '10 MAI 2023')
    assert.include(list.text(), 'Bienvenue à Colomars !')
    assert.lengthOf(await NewsArticle.query().where('title', 'Bienvenue à Colomars !'), 1)
    const allArticles = await NewsArticle.all()
    const scheduled = allArticles.filter((article) => article.statusAt() === 'scheduled')
    assert.lengthOf(scheduled, 1)
    assert.notInclude(list.text(), scheduled[0].title)

    const documents = await NewsDocument.all()
    assert.lengthOf(documents, 2)
    for (const document of documents) {
      const download = await client.get(`/infos-pratiques/documents/${document.id}/telecharger`)
      download.assertStatus(200)
      download.assertHeader('content-type', 'application/pdf')
      const body: Buffer = Buffer.isBuffer(download.body()) ? download.body() : Buffer.from(download.text(), 'latin1')
      assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
      assert.include(body.subarray(-8).toString('latin1'), '%%EOF')
    }

    assert.lengthOf(await CareStructure.all(), 1)
    assert.lengthOf(await CanteenMenu.all(), 4)
    const practical = await client.get('/infos-pratiques')
    assert.include(practical.text(), 'Poulet rôti, haricots verts')
    assert.include(practical.text(), '06 29 93 85 45')
    for (const slug of ['enfance', 'jeunesse', 'ecoles']) {
      assert.isNotNull(await CommunePage.findBy('slug', slug))
      assert.equal(await statusOf(client.get(`/pages/${slug}`)), 200)
    }
  })
})

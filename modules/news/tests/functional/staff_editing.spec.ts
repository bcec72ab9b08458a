import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import NewsArticle from '#modules/news/models/news_article'
import CareStructure from '#modules/news/models/care_structure'
import CanteenMenu from '#modules/news/models/canteen_menu'
import CommunePage from '#modules/news/models/commune_page'
import { createArticle, STAFF_PAGES, statusOf, textOf } from '#modules/news/tests/factories'
import { toDbInstant } from '#modules/news/models/instant'

test.group('News: staff access', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a visitor is sent to /connexion and a parent gets 403 on every staff page and action', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const article = await createArticle()
    for (const url of [...STAFF_PAGES, `/gestion/actualites/${article.id}/modifier`, `/gestion/actualites/${article.id}/apercu`]) {
      const visitor = await client.get(url).redirects(0)
      visitor.assertStatus(302)
      assert.equal(visitor.header('location'), '/connexion', url)
      const refused = await client.get(url).loginAs(parent)
      assert.equal(refused.status(), 403, url)
    }
    const posts = [
      '/gestion/actualites',
      '/gestion/actualites/apercu',
      `/gestion/actualites/${article.id}`,
      `/gestion/actualites/${article.id}/publier`,
      `/gestion/actualites/${article.id}/depublier`,
      `/gestion/actualites/${article.id}/supprimer`,
      '/gestion/documents',
      '/gestion/documents/1/supprimer',
      '/gestion/structures',
      '/gestion/structures/1',
      '/gestion/structures/1/supprimer',
      '/gestion/menus',
      '/gestion/menus/1',
      '/gestion/menus/1/supprimer',
      '/gestion/pages',
      '/gestion/pages/1',
      '/gestion/pages/1/supprimer',
    ]
    for (const url of posts) {
      const post = await client.post(url).form({ title: 'Intrus', body: 'x', status: 'published' }).withCsrfToken().loginAs(parent)
      assert.equal(post.status(), 403, url)
    }
    await article.refresh()
    assert.notEqual(article.title, 'Intrus')
    assert.isNotNull(article.publishedAt)
    assert.isNull(await NewsArticle.findBy('title', 'Intrus'))
  })

  test('an agent reaches every staff page, each with one h1 and the staff menu', async ({ client, assert }) => {
    const agent = await createUser('staff')
    for (const url of STAFF_PAGES) {
      const response = await client.get(url).loginAs(agent)
      assert.equal(response.status(), 200, url)
      assert.equal(response.text().match(/<h1[ >]/g)?.length, 1, url)
      assert.include(response.text(), 'aria-label="Menu de gestion"', url)
      assert.notMatch(response.text(), /@!?[a-zA-Z]+\(/, `${url} has no unrendered Edge tag`)
    }
  })

  test('a form posted without its CSRF token is refused', async ({ client }) => {
    const agent = await createUser('staff')
    const response = await client.post('/gestion/actualites').form({ title: 'Sans jeton', body: 'x', status: 'draft' }).loginAs(agent)
    response.assertStatus(419)
  })
})

test.group('News: staff writes articles', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an article written with a script and an onerror attribute is stored and shown clean', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await client
      .post('/gestion/actualites')
      .form({
        title: 'Sortie au parc',
        body: '## Programme\n<script>document.cookie</script>\n<img src="x" onerror="alert(1)">\n<p style="color:red" onclick="alert(2)">Rendez-vous à 9 h</p>\n[Plan](javascript:alert(3))',
        status: 'published',
      })
      .withCsrfToken()
      .loginAs(agent)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('alert.success')
    const article = await NewsArticle.findByOrFail('title', 'Sortie au parc')
    assert.equal(article.authorId, agent.id)
    assert.equal(article.statusAt(), 'published')
    for (const stored of [article.bodyHtml, await textOf(client.get(`/actualites/${article.slug}`))]) {
      assert.notInclude(stored, '<script>document')
      assert.notInclude(stored, 'onerror')
      assert.notInclude(stored, 'onclick')
      assert.notInclude(stored, 'javascript:')
      assert.notInclude(stored, 'color:red')
    }
    assert.include(article.bodyHtml, '<h2>Programme</h2>')
    assert.include(article.bodyHtml, '<p>Rendez-vous à 9 h</p>')
  })

  test('a refused form comes back with the input and the errors beside the fields', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await submitForm(client, agent, '/gestion/actualites', { title: 'Ok', summary: 'Mon chapeau gardé', body: '', status: 'scheduled', publishAt: '' })
    response.assertStatus(302)
    response.assertHasValidationError('title')
    response.assertHasValidationError('body')
    response.assertHasValidationError('publishAt')
    assert.equal(await NewsArticle.query().where('title', 'Ok').first(), null)

    const form = await client.get('/gestion/actualites/nouvelle').withFlashMessages(response.flashMessages()).loginAs(agent)
    const html = form.text()
    assert.include(html, 'Le formulaire contient 3 erreurs')
    assert.include(html, 'href="#field-title"')
    assert.match(html, /id="field-title-error"/)
    assert.match(html, /aria-describedby="[^"]*field-title-error/)
    assert.include(html, 'Mon chapeau gardé')
    assert.notInclude(html, 'at Object.')
  })

  test('scheduling stores the instant in UTC, hides the article until then and refuses a past date', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const when = DateTime.now().setZone('Europe/Paris').plus({ days: 3 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
    await submitForm(client, agent, '/gestion/actualites', { title: 'Kermesse', body: 'Le samedi', status: 'scheduled', publishAt: when.toFormat("yyyy-MM-dd'T'HH:mm") })
    const article = await NewsArticle.findByOrFail('title', 'Kermesse')
    assert.equal(article.publishedAt!.toUTC().toISO(), when.toUTC().toISO())
    assert.equal(article.statusAt(), 'scheduled')
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 404)
    const list = await client.get('/gestion/actualites').loginAs(agent)
    assert.include(list.text(), 'Programmée')

    const past = await submitForm(client, agent, `/gestion/actualites/${article.id}`, { title: 'Kermesse', body: 'Le samedi', status: 'scheduled', publishAt: '2020-01-01T10:00' })
    past.assertHasValidationError('publishAt')
    await article.refresh()
    assert.equal(article.publishedAt!.toUTC().toISO(), when.toUTC().toISO())
  })

  test('editing keeps the author, the creation date and the publication date; the editor is recorded', async ({ client, assert }) => {
    const author = await createUser('staff')
    const editor = await createUser('staff')
    const publishedAt = DateTime.utc().minus({ days: 2 }).startOf('second')
    const article = await createArticle({ title: 'Première version', authorId: author.id, publishedAt })
    await db.from('news_articles').where('id', article.id).update({ created_at: toDbInstant(publishedAt), updated_at: toDbInstant(publishedAt) })
    assert.notInclude(await textOf(client.get(`/actualites/${article.slug}`)), 'mise à jour le')
    await article.refresh()
    const createdAt = article.createdAt.toISO()
    const response = await submitForm(client, editor, `/gestion/actualites/${article.id}`, { title: 'Seconde version', body: 'Texte revu', status: 'published' })
    response.assertStatus(302)
    await article.refresh()
    assert.equal(article.title, 'Seconde version')
    assert.equal(article.authorId, author.id)
    assert.equal(article.updatedById, editor.id)
    assert.equal(article.createdAt.toISO(), createdAt)
    assert.equal(article.publishedAt!.toUTC().toISO(), publishedAt.toISO())
    assert.include(await textOf(client.get(`/actualites/${article.slug}`)), 'mise à jour le')
    const audit = await db.from('audit_logs').where({ subject_type: 'news_article', subject_id: String(article.id) })
    assert.deepEqual(audit.map((row) => row.action), ['news.article.updated'])
  })

  test('unpublish, publish now and delete', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const article = await createArticle({ title: 'Cycle de vie' })
    await client.post(`/gestion/actualites/${article.id}/depublier`).withCsrfToken().loginAs(agent).redirects(0)
    await article.refresh()
    assert.isNull(article.publishedAt)
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 404)

    await client.post(`/gestion/actualites/${article.id}/publier`).withCsrfToken().loginAs(agent).redirects(0)
    await article.refresh()
    assert.equal(article.statusAt(), 'published')
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 200)

    const confirm = await client.get(`/gestion/actualites/${article.id}/supprimer`).loginAs(agent)
    assert.include(confirm.text(), 'Supprimer « Cycle de vie » ?')
    await client.post(`/gestion/actualites/${article.id}/supprimer`).withCsrfToken().loginAs(agent).redirects(0)
    assert.isNull(await NewsArticle.find(article.id))
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}`)), 404)
  })

  test('preview shows a draft to the agent, and renders typed text without saving it', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const draft = await createArticle({ title: 'Brouillon à relire', body: '## Sous-titre', publishedAt: null })
    const saved = await client.get(`/gestion/actualites/${draft.id}/apercu`).loginAs(agent)
    saved.assertStatus(200)
    assert.include(saved.text(), 'Brouillon à relire')
    assert.include(saved.text(), 'Brouillon')
    assert.include(saved.text(), '<h2>Sous-titre</h2>')

    const typed = await client
      .post('/gestion/actualites/apercu')
      .form({ title: 'Pas encore enregistré', body: '**gras** <script>alert(1)</script>' })
      .withCsrfToken()
      .loginAs(agent)
    typed.assertStatus(200)
    assert.include(typed.text(), '<strong>gras</strong>')
    assert.notInclude(typed.text(), 'alert(1)')
    assert.isNull(await NewsArticle.findBy('title', 'Pas encore enregistré'))
  })

  test('an image needs its description, is served with its type, and can be removed', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082', 'hex')
    const missingAlt = await client
      .post('/gestion/actualites')
      .field('title', 'Avec image')
      .field('body', 'Texte')
      .field('status', 'published')
      .file('image', png, { filename: 'photo.png', contentType: 'image/png' })
      .withCsrfToken()
      .loginAs(agent)
      .redirects(0)
    missingAlt.assertHasValidationError('imageAlt')
    assert.isNull(await NewsArticle.findBy('title', 'Avec image'))

    await client
      .post('/gestion/actualites')
      .field('title', 'Avec image')
      .field('body', 'Texte')
      .field('status', 'published')
      .field('imageAlt', 'Les enfants au jardin')
      .file('image', png, { filename: 'photo.png', contentType: 'image/png' })
      .withCsrfToken()
      .loginAs(agent)
      .redirects(0)
    const article = await NewsArticle.findByOrFail('title', 'Avec image')
    const page = await client.get(`/actualites/${article.slug}`)
    assert.include(page.text(), `<img src="/actualites/${article.slug}/image" alt="Les enfants au jardin">`)
    const image = await client.get(`/actualites/${article.slug}/image`)
    image.assertStatus(200)
    image.assertHeader('content-type', 'image/png')

    const imageKey = article.imageKey!
    assert.isTrue(await drive.use().exists(imageKey))
    await submitForm(client, agent, `/gestion/actualites/${article.id}`, { title: 'Avec image', body: 'Texte', status: 'published', removeImage: 'on' })
    await article.refresh()
    assert.isNull(article.imageKey)
    assert.isNull(article.imageAlt)
    assert.isFalse(await drive.use().exists(imageKey))
    assert.equal(await statusOf(client.get(`/actualites/${article.slug}/image`)), 404)
    assert.notInclude(await textOf(client.get(`/actualites/${article.slug}`)), '<img')
  })

  test('a kept image still needs its description; a past or impossible date is refused in French beside its field', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const article = await createArticle({ title: 'Photo gardée', body: 'Texte' })
    await article.merge({ imageKey: 'news/images/preau.png', imageMime: 'image/png', imageAlt: 'Le préau' }).save()
    const edit = (fields: Record<string, string>) =>
      submitForm(client, agent, `/gestion/actualites/${article.id}`, { title: 'Photo gardée', body: 'Texte modifié', status: 'published', ...fields })
    ;(await edit({})).assertFlashMessage('inputErrorsBag', { imageAlt: ["Décrivez l'image pour les personnes qui ne la voient pas."] })
    await article.refresh()
    assert.equal(article.bodySource, 'Texte')

    ;(await edit({ status: 'scheduled', publishAt: '2020-01-01T10:00', imageAlt: 'Le préau' })).assertFlashMessage('inputErrorsBag', {
      publishAt: ['La date de publication doit être dans le futur ; pour publier tout de suite, choisissez « Publiée ».'],
    })
    ;(await edit({ status: 'scheduled', publishAt: '2031-02-30T10:00', imageAlt: 'Le préau' })).assertFlashMessage('inputErrorsBag', {
      publishAt: ["Cette date n'est pas valide."],
    })
    ;(await edit({ status: 'draft', publishAt: '2020-01-01T10:00', imageAlt: 'Le préau' })).assertStatus(302)
    await article.refresh()
    assert.equal(article.bodySource, 'Texte modifié')
  })
})

test.group('News: staff edits structures, menus and pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a structure is created, shown in infos pratiques, edited and deleted', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await submitForm(client, agent, '/gestion/structures', { name: 'Crèche Les Lutins', address: '3 rue des Écoles', phones: 'Accueil : 04 93 00 00 09', openingHours: 'Du lundi au vendredi, 7 h 30 – 18 h 30', ageGroups: 'De 10 semaines à 3 ans', position: '1' })
    const structure = await CareStructure.findByOrFail('name', 'Crèche Les Lutins')
    assert.equal(structure.authorId, agent.id)
    assert.include(await textOf(client.get('/infos-pratiques')), 'De 10 semaines à 3 ans')

    const refused = await client.post(`/gestion/structures/${structure.id}`).form({ name: '', address: '', phones: '', openingHours: '', ageGroups: '' }).withCsrfToken().loginAs(agent).redirects(0)
    refused.assertHasValidationError('name')

    await client.post(`/gestion/structures/${structure.id}/supprimer`).withCsrfToken().loginAs(agent).redirects(0)
    assert.isNull(await CareStructure.find(structure.id))
  })

  test('a menu is one per school and day, with its allergens', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const form = { school: 'École du Village', day: '2030-03-04', starter: 'Radis', mainCourse: 'Couscous', dessert: 'Orange', allergens: 'Gluten, céleri' }
    await client.post('/gestion/menus').form(form).withCsrfToken().loginAs(agent).redirects(0)
    const menu = await CanteenMenu.findByOrFail('day', '2030-03-04')
    assert.equal(menu.allergens, 'Gluten, céleri')
    const page = await client.get('/infos-pratiques').qs({ semaine: '2030-03-04' })
    assert.include(page.text(), 'Couscous')
    assert.include(page.text(), 'Gluten, céleri')

    const twice = await client.post('/gestion/menus').form(form).withCsrfToken().loginAs(agent).redirects(0)
    twice.assertHasValidationError('day')
    assert.lengthOf(await CanteenMenu.query().where('day', '2030-03-04'), 1)
  })

  test("a commune page is written, shown sanitized, and editing keeps its author", async ({ client, assert }) => {
    const author = await createUser('staff')
    const editor = await createUser('staff')
    await submitForm(client, author, '/gestion/pages', { title: 'Notre gestion pour la Jeunesse', slug: 'jeunesse', body: '## Séjours\n<iframe src="https://x.example"></iframe>Départs en juillet' })
    const page = await CommunePage.findByOrFail('slug', 'jeunesse')
    const shown = await client.get('/pages/jeunesse')
    shown.assertStatus(200)
    assert.include(shown.text(), '<h2>Séjours</h2>')
    assert.notInclude(shown.text(), 'iframe')

    await client.post(`/gestion/pages/${page.id}`).form({ title: 'Jeunesse', slug: 'jeunesse', body: 'Nouveau texte' }).withCsrfToken().loginAs(editor).redirects(0)
    await page.refresh()
    assert.equal(page.authorId, author.id)
    assert.equal(page.updatedById, editor.id)
    assert.equal(page.title, 'Jeunesse')

    const clash = await client.post('/gestion/pages').form({ title: 'Doublon', slug: 'jeunesse', body: 'x' }).withCsrfToken().loginAs(editor).redirects(0)
    clash.assertHasValidationError('slug')
  })
})

test.group('News: staff enters a week of menus', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the week form saves the days with a main course, updates and removes the others', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await CanteenMenu.create({ school: 'École des Plans', day: '2030-03-06', mainCourse: 'Ancien plat du mercredi' })
    await CanteenMenu.create({ school: 'École des Plans', day: '2030-03-07', mainCourse: 'Ancien plat du jeudi' })
    await CanteenMenu.create({ school: 'École du Village', day: '2030-03-07', mainCourse: 'Autre école' })

    const form = await client.get('/gestion/menus/semaine').qs({ semaine: '2030-03-06', ecole: 'École des Plans' }).loginAs(agent)
    form.assertStatus(200)
    assert.include(form.text(), 'Ancien plat du jeudi')
    assert.include(form.text(), 'mercredi 06/03')
    assert.equal(form.text().match(/<h1[ >]/g)?.length, 1)

    const response = await client
      .post('/gestion/menus/semaine')
      .form({
        week: '2030-03-04',
        school: 'École des Plans',
        mainCourse_0: 'Gratin de pâtes',
        allergens_0: 'Gluten, lait',
        starter_1: 'Radis',
        mainCourse_1: 'Poisson, riz',
        mainCourse_3: 'Nouveau plat du jeudi',
        dessert_3: 'Clémentine',
      })
      .withCsrfToken()
      .loginAs(agent)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('alert.success')
    const menus = await CanteenMenu.query().where('school', 'École des Plans').orderBy('day')
    assert.deepEqual(
      menus.map((menu) => [menu.day, menu.mainCourse, menu.allergens]),
      [
        ['2030-03-04', 'Gratin de pâtes', 'Gluten, lait'],
        ['2030-03-05', 'Poisson, riz', null],
        ['2030-03-07', 'Nouveau plat du jeudi', null],
      ]
    )
    assert.equal(menus[2].authorId, null)
    assert.equal(menus[2].updatedById, agent.id)
    assert.equal(menus[0].authorId, agent.id)
    assert.isNotNull(await CanteenMenu.findBy('main_course', 'Autre école'))
  })

  test('a day with a dessert but no main course is refused with the day named', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await submitForm(client, agent, '/gestion/menus/semaine', { week: '2030-03-04', mainCourse_0: 'Gratin', dessert_2: 'Pomme' })
    response.assertValidationError('mainCourse_2', 'Indiquez le plat du mercredi 06/03, ou videz les autres champs de ce jour.')
    assert.lengthOf(await CanteenMenu.query().where('day', '2030-03-04'), 0)
    const form = await client.get('/gestion/menus/semaine').qs({ semaine: '2030-03-04' }).withFlashMessages(response.flashMessages()).loginAs(agent)
    assert.include(form.text(), 'id="field-mainCourse_2-error"')
    assert.include(form.text(), 'Plat du mercredi 06/03')
  })

  test('every day with a side but no main course is named at once; a day of blanks is empty', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await submitForm(client, agent, '/gestion/menus/semaine', { week: '2030-03-04', mainCourse_0: 'Gratin', starter_1: '  ', dessert_2: 'Pomme', allergens_4: 'gluten' })
    response.assertFlashMessage('inputErrorsBag', {
      mainCourse_2: ['Indiquez le plat du mercredi 06/03, ou videz les autres champs de ce jour.'],
      mainCourse_4: ['Indiquez le plat du vendredi 08/03, ou videz les autres champs de ce jour.'],
    })
    assert.lengthOf(await CanteenMenu.query().where('day', '2030-03-04'), 0)
  })
})

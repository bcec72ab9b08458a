import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import HistoryEntry from '#modules/dossier/models/history_entry'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import { makeFamily, pageText } from '#modules/dossier/tests/fixtures'
import { submitForm } from '#tests/helpers/requests'
import exportService from '#modules/dossier/services/export_service'
import moduleRegistry from '#core/module_registry'
import { withModulesOff } from '#tests/helpers/modules'

test.group('Dossier: what a parent sees', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the parent sees their own family on every dossier page, never another', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const other = await makeFamily('Autre')
    for (const url of ['/dossier', '/dossier/coordonnees', '/dossier/documents', '/dossier/demarches', '/dossier/demande']) {
      const response = await client.get(url).loginAs(mine.user)
      response.assertStatus(200)
      response.assertTextIncludes(url === '/dossier/demarches' ? 'Suivi de mes démarches' : 'DOSSIER')
      assert.notInclude(response.text(), 'EnfantAutre')
      assert.notInclude(response.text(), 'VoisinAutre')
      assert.notInclude(response.text(), 'vaccins-Autre.pdf')
    }
    const show = await client.get('/dossier').loginAs(mine.user)
    assert.include(pageText(show), 'EnfantDupont')
    assert.include(pageText(show), 'sans gluten')
    assert.include(pageText(show), 'Kiwi')
    assert.include(pageText(show), 'VoisinDupont')
    assert.include(pageText(show), '700')
    assert.include(pageText(show), 'Compte actif')
    void other
  })

  test('the home page shows the children cards and the Mon dossier tile', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await client.get('/accueil').loginAs(mine.user)
    response.assertStatus(200)
    assert.include(pageText(response), 'Mes enfants')
    assert.include(pageText(response), 'EnfantDupont')
    assert.include(pageText(response), 'Modifier mes coordonnées')
    assert.include(pageText(response), 'alt=""')
  })

  test("another family's ids give 404, including document downloads", async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const other = await makeFamily('Autre')
    const gets = [`/dossier/personnes-autorisees/${other.person.id}/modifier`, `/dossier/documents/${other.document.id}/telecharger`, '/dossier/documents/abc/telecharger']
    for (const url of gets) {
      const response = await client.get(url).loginAs(mine.user)
      response.assertStatus(404)
    }
    const posts = [`/dossier/personnes-autorisees/${other.person.id}/modifier`, `/dossier/personnes-autorisees/${other.person.id}/supprimer`]
    for (const url of posts) {
      const response = await client
        .post(url)
        .form({ lastName: 'Pirate', firstName: 'Jack', phone: '0600000000' })
        .withCsrfToken()
        .loginAs(mine.user)
        .redirects(0)
      response.assertStatus(404)
    }
    const person = await AuthorizedPerson.findOrFail(other.person.id)
    assertEqual(person.lastName, 'VoisinAutre')

    const own = await client.get(`/dossier/documents/${mine.document.id}/telecharger`).loginAs(mine.user)
    own.assertStatus(200)
    own.assertHeader('content-type', 'application/pdf')
    assert.include(own.header('content-disposition'), 'vaccins-Dupont.pdf')
  })

  test('staff pages are refused to parents, dossier pages to guests', async ({ client }) => {
    const mine = await makeFamily('Dupont')
    for (const url of ['/gestion/familles', `/gestion/familles/${mine.family.id}`, '/gestion/familles/nouvelle']) {
      const response = await client.get(url).loginAs(mine.user)
      response.assertStatus(403)
    }
    const post = await client.post(`/gestion/familles/${mine.family.id}/quotient`).form({ familyQuotient: 1 }).withCsrfToken().loginAs(mine.user).redirects(0)
    post.assertStatus(403)
    const guest = await client.get('/dossier').redirects(0)
    assertTrue([302, 303].includes(guest.status()))
  })

  test('a refused edit re-displays the form with the errors and changes nothing', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await client
      .post('/dossier/coordonnees')
      .form({ address: '', postalCode: '6670', city: 'Nice', email: 'pas-un-courriel' })
      .withCsrfToken()
      .loginAs(mine.user)
      .header('referer', '/dossier/coordonnees')
    response.assertStatus(200)
    assert.include(pageText(response), 'Le formulaire contient')
    assert.include(pageText(response), "Ce code postal n'est pas valide")
    assert.include(pageText(response), 'pas-un-courriel')
    const family = await Family.findOrFail(mine.family.id)
    assert.equal(family.city, 'Colomars')
    assert.equal(await HistoryEntry.query().where('family_id', mine.family.id).count('* as n').then((r) => Number(r[0].$extras.n)), 0)
  })

  test('a valid edit is saved and dated in the history with what changed', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await client
      .post('/dossier/coordonnees')
      .form({ address: '5 avenue Neuve', postalCode: '06000', city: 'Nice', mobilePhone: '06.11.22.33.44', email: 'nouveau@exemple.fr', guardian1Phone: '0611223344' })
      .withCsrfToken()
      .loginAs(mine.user)
    response.assertStatus(200)
    assert.include(pageText(response), 'Vos coordonnées ont été enregistrées')
    const family = await Family.findOrFail(mine.family.id)
    assert.equal(family.city, 'Nice')
    assert.equal(family.mobilePhone, '06 11 22 33 44')
    const entry = await HistoryEntry.query().where('family_id', mine.family.id).firstOrFail()
    assert.equal(entry.kind, 'contact-updated')
    assert.include(entry.text, 'adresse : « 1 rue des Tests » → « 5 avenue Neuve »')
    assert.include(entry.text, 'ville : « Colomars » → « Nice »')
    const history = await client.get('/dossier/demarches').loginAs(mine.user)
    assert.include(pageText(history), '5 avenue Neuve')
  })

  test('authorized persons are added, edited and removed, each change in the history', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const bad = await client.post('/dossier/personnes-autorisees').form({ lastName: '', firstName: 'Zoé', phone: 'abc' }).withCsrfToken().loginAs(mine.user).header('referer', '/dossier/personnes-autorisees/nouvelle')
    assert.include(pageText(bad), 'Le formulaire contient')
    await client.post('/dossier/personnes-autorisees').form({ lastName: 'Martin', firstName: 'Zoé', phone: '0612121212', relationship: 'tante', mayPickUp: 'on' }).withCsrfToken().loginAs(mine.user)
    const added = await AuthorizedPerson.query().where('family_id', mine.family.id).where('last_name', 'Martin').firstOrFail()
    assert.isTrue(added.mayPickUp)
    assert.isFalse(added.emergencyContact)
    await client.post(`/dossier/personnes-autorisees/${added.id}/modifier`).form({ lastName: 'Martin', firstName: 'Zoé', phone: '0612121213', emergencyContact: 'on' }).withCsrfToken().loginAs(mine.user)
    await client.post(`/dossier/personnes-autorisees/${mine.person.id}/supprimer`).withCsrfToken().loginAs(mine.user)
    assert.isNull(await AuthorizedPerson.find(mine.person.id))
    const entries = await HistoryEntry.query().where('family_id', mine.family.id).orderBy('id')
    const texts = entries.map((e) => e.text)
    assert.lengthOf(texts, 3)
    assert.include(texts[0], 'Personne autorisée ajoutée')
    assert.include(texts[1], 'téléphone : « 06 12 12 12 12 » → « 06 12 12 12 13 »')
    assert.include(texts[2], 'Personne autorisée retirée')
  })

  test("a request about a child's identity is recorded, announced, and changes nothing", async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const other = await makeFamily('Autre')
    const events = emitter.fake(['dossier:change-requested'])
    try {
      const refused = await client.post('/dossier/demande').form({ subject: 'child', childId: other.child.id, message: 'Le prénom est mal orthographié' }).withCsrfToken().loginAs(mine.user).header('referer', '/dossier/demande')
      assert.include(pageText(refused), "Choisissez l'enfant concerné")
      const noChild = await submitForm(client, mine.user, '/dossier/demande', { subject: 'child', message: 'Le prénom est mal orthographié' })
      noChild.assertFlashMessage('inputErrorsBag', { childId: ["Choisissez l'enfant concerné."] })
      const response = await client.post('/dossier/demande').form({ subject: 'child', childId: mine.child.id, message: 'Le prénom est mal orthographié : Enfantdupont' }).withCsrfToken().loginAs(mine.user)
      response.assertStatus(200)
      assert.include(pageText(response), "Demande de modification d'éléments dans mon dossier")
      events.assertEmitted('dossier:change-requested', ({ data }) => data.familyId === mine.family.id && data.childId === mine.child.id)
      events.assertEmittedCount('dossier:change-requested', 1)
    } finally {
      emitter.restore()
    }
    const child = await Child.findOrFail(mine.child.id)
    assert.equal(child.firstName, 'EnfantDupont')
  })

  test('after a change request, the history page shows what the enabled modules offer to go further (messaging: write to the service)', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    const response = await client.post('/dossier/demande').form({ subject: 'quotient', message: 'Notre quotient CAF est de 812.' }).withCsrfToken().loginAs(mine.user).redirects(0)
    response.assertFlashMessage('alert.success', 'Votre demande est transmise au service : elle figure dans le suivi de vos démarches.')
    const flashed = response.flashMessages()
    const history = async () => (await client.get('/dossier/demarches').withFlashMessages(flashed).loginAs(mine.user)).text()
    const writeLink = /<a href="\/messagerie\/nouveau\?theme=Demande%20de%20modification[^"]*">Écrire au service/
    const withMessaging = await history()
    assert.equal(writeLink.test(withMessaging), moduleRegistry.isEnabled('messaging'))
    const withoutMessaging = await withModulesOff(['messaging'], history)
    assert.notMatch(withoutMessaging, /\/messagerie/)
    assert.include(withoutMessaging, 'Suivi de mes démarches')
    // Without the flash (a later visit), nothing is offered.
    assert.notMatch((await client.get('/dossier/demarches').loginAs(mine.user)).text(), writeLink)
  })

  test('the JSON export holds the family and nothing of others; the zip holds the documents', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    await makeFamily('Autre')
    const response = await client.get('/dossier/export.json').loginAs(mine.user)
    response.assertStatus(200)
    const data = response.body()
    assert.equal(data.family.reference, mine.family.reference)
    assert.equal(data.children[0].firstName, 'EnfantDupont')
    assert.equal(data.authorizedPersons[0].lastName, 'VoisinDupont')
    assert.equal(data.documents[0].name, 'vaccins-Dupont.pdf')
    const text = JSON.stringify(data)
    assert.notInclude(text, 'Autre')
    assert.notInclude(text, 'storage')
    assert.notInclude(text, 'password')

    const zip = await client.get('/dossier/export-documents.zip').loginAs(mine.user)
    zip.assertStatus(200)
    zip.assertHeader('content-type', 'application/zip')

    const chunks: Buffer[] = []
    for await (const chunk of await exportService.documentsZip(mine.family.id)) chunks.push(Buffer.from(chunk))
    const archive = Buffer.concat(chunks)
    assert.equal(archive.subarray(0, 2).toString('latin1'), 'PK')
    assert.include(archive.toString('latin1'), 'mon-dossier.json')
    assert.include(archive.toString('latin1'), 'documents/vaccins-Dupont.pdf')
    assert.notInclude(archive.toString('latin1'), 'vaccins-Autre.pdf')
  })
})

function assertEqual(actual: unknown, expected: unknown) {
  if (actual !== expected) throw new Error(`expected ${String(expected)}, got ${String(actual)}`)
}
function assertTrue(value: boolean) {
  if (!value) throw new Error('expected true')
}

import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import moduleRegistry from '#core/module_registry'
import type { User } from '#modules/accounts/index'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Registration from '#modules/inscriptions/models/registration'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'
import { htmlText, isolateInscriptionTests } from '#modules/inscriptions/tests/helpers'
import {
  createActivity,
  createActivityType,
  createFamily,
  createValidatedRegistration,
  requestRegistration,
  serviceWithAgent,
} from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'
import { seedDemoCommune } from '#services/demo_seeder'
import { submitForm } from '#tests/helpers/requests'

const PNG = readFileSync(app.makePath('modules/dossier/tests/fixtures/photo.png'))

/** What inscriptions answers to dossier's `dossier.child-staff-services` for this child. */
async function staffServicesOf(childId: number) {
  const answer = moduleRegistry.contributions('dossier.child-staff-services').find((entry) => entry.module === 'inscriptions')!.answer
  return (await answer(childId)).sort((a, b) => a - b)
}

function sendPhoto(client: ApiClient, user: User, childId: number) {
  return client
    .post(`/dossier/enfants/${childId}/photo`)
    .file('photo', PNG, { filename: 'photo.png', contentType: 'image/png' })
    .withCsrfToken()
    .loginAs(user)
    .redirects(0)
}

test.group('Inscriptions: the service running each activity type', (group) => {
  isolateInscriptionTests(group)

  test('staff choose the service of a type in a labelled select; both staff lists show it', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const periscolaire = await serviceWithAgent('Service périscolaire')
    const form = htmlText((await client.get('/gestion/inscriptions/types/nouveau').loginAs(staff)).text())
    assert.include(form, 'Service')
    const page = (await client.get('/gestion/inscriptions/types/nouveau').loginAs(staff)).text()
    assert.match(page, /<label for="field-serviceId">Service<\/label>/)
    assert.include(page, `<option value="${periscolaire.serviceId}">Service périscolaire</option>`)

    ;(await submitForm(client, staff, '/gestion/inscriptions/types', { name: 'Accueil périscolaire', position: 1, serviceId: periscolaire.serviceId })).assertStatus(302)
    const type = await ActivityType.findByOrFail('name', 'Accueil périscolaire')
    assert.equal(type.serviceId, periscolaire.serviceId)
    await createActivity({ activityTypeId: type.id, name: 'Accueil du matin' })

    const types = htmlText((await client.get('/gestion/inscriptions/types').loginAs(staff)).text())
    assert.include(types, 'Accueil périscolaire Service périscolaire')
    const activities = htmlText((await client.get('/gestion/inscriptions/activites').loginAs(staff)).text())
    assert.include(activities, 'Accueil du matin Accueil périscolaire Service périscolaire')
    const edit = (await client.get(`/gestion/inscriptions/types/${type.id}/modifier`).loginAs(staff)).text()
    assert.include(edit, `<option value="${periscolaire.serviceId}" selected>Service périscolaire</option>`)

    // « Aucun service » takes the service away.
    ;(await submitForm(client, staff, `/gestion/inscriptions/types/${type.id}`, { name: 'Accueil périscolaire', position: 1, serviceId: '' })).assertStatus(302)
    await type.refresh()
    assert.isNull(type.serviceId)
    assert.include(htmlText((await client.get('/gestion/inscriptions/types').loginAs(staff)).text()), 'Accueil périscolaire Aucun')
  })

  test('a service that is not in the list: the form again, a French error beside the field, the input kept', async ({ client, assert }) => {
    const staff = await createUser('staff')
    for (const serviceId of ['999999', 'périscolaire', '-2', '1.5']) {
      const response = await submitForm(client, staff, '/gestion/inscriptions/types', { name: 'Accueil du soir', description: 'Après la classe', serviceId })
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { serviceId: ['Choisissez un service de la liste.'] })
      assert.equal(response.flashMessages().name, 'Accueil du soir')
    }
    const response = await client
      .post('/gestion/inscriptions/types')
      .form({ name: 'Accueil du soir', description: 'Après la classe', serviceId: '999999' })
      .header('referer', '/gestion/inscriptions/types/nouveau')
      .withCsrfToken()
      .loginAs(staff)
    response.assertStatus(200)
    const html = response.text()
    const errorAt = html.indexOf('id="field-serviceId-error"')
    assert.isAbove(errorAt, html.indexOf('<label for="field-serviceId">'))
    assert.isBelow(errorAt, html.indexOf('<select'))
    assert.include(htmlText(html.slice(errorAt)), 'Choisissez un service de la liste.')
    assert.include(html, 'value="Accueil du soir"')
    assert.include(html, 'Après la classe</textarea>')
    assert.isNull(await ActivityType.findBy('name', 'Accueil du soir'))
  })

  test("dossier.child-staff-services: the services of the child's current activities, as its card lists them", async ({ assert }) => {
    const periscolaire = await serviceWithAgent()
    const loisirs = await serviceWithAgent()
    const cantine = await serviceWithAgent()
    const ended = await serviceWithAgent()
    const { user, family, children } = await createFamily([
      { firstName: 'Lya', birthDate: '2016-03-14' },
      { firstName: 'Mael', birthDate: '2019-09-02' },
    ])
    const [lya, mael] = children
    const periscolaireType = await createActivityType(undefined, 0, periscolaire.serviceId)
    const morning = await createActivity({ activityTypeId: periscolaireType.id, name: 'Accueil du matin' })
    const evening = await createActivity({ activityTypeId: periscolaireType.id, name: 'Accueil du soir' })
    const wednesdays = await createActivity({ activityTypeId: (await createActivityType(undefined, 0, loisirs.serviceId)).id, places: 0, autoAccept: true })
    const canteen = await createActivity({ activityTypeId: (await createActivityType(undefined, 0, cantine.serviceId)).id })
    const spring = await createActivity({
      activityTypeId: (await createActivityType(undefined, 0, ended.serviceId)).id,
      startsOn: addDays(todayIso(), -40),
      endsOn: addDays(todayIso(), -10),
    })
    const noService = await createActivity()

    await createValidatedRegistration(morning, family.id, lya.id)
    await createValidatedRegistration(evening, family.id, lya.id)
    await createValidatedRegistration(spring, family.id, lya.id, spring.startsOn)
    await createValidatedRegistration(noService, family.id, lya.id)
    const waiting = await requestRegistration({ family, user }, mael, wednesdays)
    assert.equal(waiting.state, 'waiting')
    await requestRegistration({ family, user }, mael, canteen)
    assert.deepEqual(await staffServicesOf(lya.id), [periscolaire.serviceId])
    assert.sameMembers(await staffServicesOf(mael.id), [loisirs.serviceId, cantine.serviceId])

    // A cancelled registration, or one ended yesterday, no longer counts.
    await Registration.query().where('child_id', mael.id).where('activity_id', canteen.id).update({ state: 'cancelled', active_key: null })
    await Registration.query().where('child_id', lya.id).update({ end_date: addDays(todayIso(), -1) })
    assert.deepEqual(await staffServicesOf(mael.id), [loisirs.serviceId])
    assert.deepEqual(await staffServicesOf(lya.id), [])
  })

  test("the child's photo: shown to an agent of the service running the child's activity, a 404 to another service's", async ({ client, assert }) => {
    const periscolaire = await serviceWithAgent()
    const sports = await serviceWithAgent()
    const { user, family, children } = await createFamily([{ firstName: 'Inès', birthDate: '2017-05-04' }])
    const [ines] = children
    const type = await createActivityType(undefined, 0, periscolaire.serviceId)
    const morning = await createActivity({ activityTypeId: type.id, name: 'Accueil du matin' })
    ;(await sendPhoto(client, user, ines.id)).assertStatus(302)
    const photoPath = `/dossier/enfants/${ines.id}/photo`
    const photoTag = `src="${photoPath}"`

    // Not registered yet: nobody of either service sees it.
    ;(await client.get(photoPath).loginAs(periscolaire.agent)).assertStatus(404)

    const registration = await requestRegistration({ family, user }, ines, morning)
    ;(await client.get(photoPath).loginAs(periscolaire.agent)).assertStatus(200)
    ;(await client.get(photoPath).loginAs(sports.agent)).assertStatus(404)
    assert.include((await client.get(`/gestion/familles/${family.id}`).loginAs(periscolaire.agent)).text(), photoTag)
    assert.notInclude((await client.get(`/gestion/familles/${family.id}`).loginAs(sports.agent)).text(), photoTag)

    // The type handed to the sports service: its agents now, no longer the périscolaire's.
    await type.merge({ serviceId: sports.serviceId }).save()
    ;(await client.get(photoPath).loginAs(sports.agent)).assertStatus(200)
    ;(await client.get(photoPath).loginAs(periscolaire.agent)).assertStatus(404)

    // The request withdrawn: the service no longer works with the child.
    await Registration.query().where('id', registration.id).update({ state: 'cancelled', active_key: null })
    ;(await client.get(photoPath).loginAs(sports.agent)).assertStatus(404)
  })

  test('a deleted service leaves its activity types without a service', async ({ assert }) => {
    const gone = await serviceWithAgent()
    const type = await createActivityType(undefined, 0, gone.serviceId)
    await db.from('user_services').where('service_id', gone.serviceId).delete()
    await db.from('services').where('id', gone.serviceId).delete()
    await type.refresh()
    assert.isNull(type.serviceId)
  })

  test("the demo: each activity type run by the demo agent's service, who sees the activities' children", async ({ assert }) => {
    await seedDemoCommune()
    const agent = await db.from('users').where('username', 'agent').firstOrFail()
    const agentServices = (await db.from('user_services').where('user_id', agent.id)).map((row) => Number(row.service_id))
    const types = await ActivityType.query().whereIn('name', ['Accueil périscolaire', 'Accueil de loisirs', 'Restauration scolaire'])
    assert.lengthOf(types, 3)
    for (const type of types) assert.include(agentServices, type.serviceId ?? 0)
    const lya = await db.from('children').where('first_name', 'Lya').firstOrFail()
    assert.includeMembers(agentServices, await staffServicesOf(lya.id))
    assert.isNotEmpty(await staffServicesOf(lya.id))
  })
})

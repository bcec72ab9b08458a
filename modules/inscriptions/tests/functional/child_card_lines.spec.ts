import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Registration from '#modules/inscriptions/models/registration'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'
import { createActivity, createFamily, createValidatedRegistration, requestRegistration } from '#modules/inscriptions/tests/factories'

/** dossier's « Mes enfants » shows, on each child's card, what inscriptions contributes (dossier.child-card-lines). */
test.group('Inscriptions: the activities on the children cards', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each child lists its validated and requested activities; not the cancelled nor the ended ones', async ({ client, assert }) => {
    const { user, family, children } = await createFamily([
      { firstName: 'Lya', birthDate: '2016-03-14', classLevel: 'CM2' },
      { firstName: 'Mael', birthDate: '2019-09-02' },
    ])
    const [lya, mael] = children
    const morning = await createActivity({ name: 'Accueil du matin' })
    const wednesdays = await createActivity({ name: 'Mercredis' })
    const ended = await createActivity({ name: 'Vacances de printemps', startsOn: addDays(todayIso(), -40), endsOn: addDays(todayIso(), -10) })
    const cancelled = await createActivity({ name: 'Séjour ski' })
    await createValidatedRegistration(morning, family.id, lya.id)
    await requestRegistration({ family, user }, mael, wednesdays)
    await createValidatedRegistration(ended, family.id, lya.id, ended.startsOn)
    await Registration.create({ familyId: family.id, childId: mael.id, activityId: cancelled.id, state: 'cancelled', activeKey: null, startDate: todayIso() })

    const response = await client.get('/dossier/enfants').loginAs(user)
    response.assertStatus(200)
    const html = response.text().replace(/&#39;|&#x27;/g, "'")
    const lyaCard = html.slice(html.indexOf(`id="enfant-${lya.id}"`), html.indexOf(`id="enfant-${mael.id}"`))
    const maelCard = html.slice(html.indexOf(`id="enfant-${mael.id}"`))
    assert.include(lyaCard, 'Accueil du matin — inscription validée')
    assert.include(lyaCard, 'CM2')
    assert.notInclude(lyaCard, 'Mercredis')
    assert.include(maelCard, 'Mercredis — inscription demandée')
    assert.notInclude(html, 'Vacances de printemps')
    assert.notInclude(html, 'Séjour ski')
  })
})

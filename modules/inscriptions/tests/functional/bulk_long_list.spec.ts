import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import Registration from '#modules/inscriptions/models/registration'
import registrationService from '#modules/inscriptions/services/registration_service'
import { createActivity, createFamily } from '#modules/inscriptions/tests/helpers'
import { createUser } from '#tests/helpers/users'
import { todayIso } from '#modules/inscriptions/services/calendar'

/** A bulk decision on more requests than the body parser's default list limit of 20. */
test.group('inscriptions / staff bulk decisions with 60 requests', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    emitter.fake()
    mail.fake()
    return () => {
      emitter.restore()
      mail.restore()
    }
  })

  test('60 ticked requests are all validated', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine', places: 100 })
    const { user, family, children } = await createFamily(Array.from({ length: 60 }, (_, index) => ({ firstName: `Enfant${index + 1}`, birthDate: '2017-05-10' })))
    const ids = []
    for (const child of children) {
      const registration = await registrationService.request({ familyId: family.id, childId: child.id, activityId: activity.id, startDate: todayIso(), user })
      ids.push(registration.id)
    }
    const response = await client
      .post('/gestion/inscriptions/decisions')
      .form({ ids, decision: 'validate' })
      .withCsrfToken()
      .loginAs(staff)
      .redirects(0)
    response.assertFlashMessage('alert.success', 'Demandes traitées : 60 validées.')
    const states = await Registration.query().whereIn('id', ids).select('state')
    assert.lengthOf(states, 60)
    assert.deepEqual([...new Set(states.map((row) => row.state))], ['validated'])
  })
})

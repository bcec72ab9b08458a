import { test } from '@japa/runner'
import Registration from '#modules/inscriptions/models/registration'
import { isolateInscriptionTests } from '#modules/inscriptions/tests/helpers'
import { createActivity, createFamily, requestRegistration } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'

/** A bulk decision on more requests than the body parser's default list limit of 20. */
test.group('inscriptions / staff bulk decisions with 60 requests', (group) => {
  isolateInscriptionTests(group, 'every event')

  test('60 ticked requests are all validated', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine', places: 100 })
    const family = await createFamily(Array.from({ length: 60 }, (_, index) => ({ firstName: `Enfant${index + 1}`, birthDate: '2017-05-10' })))
    const ids = []
    for (const child of family.children) ids.push((await requestRegistration(family, child, activity)).id)
    const response = await submitForm(client, staff, '/gestion/inscriptions/decisions', { ids, decision: 'validate' })
    response.assertFlashMessage('alert.success', 'Demandes traitées : 60 validées.')
    const states = await Registration.query().whereIn('id', ids).select('state')
    assert.lengthOf(states, 60)
    assert.deepEqual([...new Set(states.map((row) => row.state))], ['validated'])
  })
})

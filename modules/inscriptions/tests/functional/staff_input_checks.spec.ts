import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Activity from '#modules/inscriptions/models/activity'
import { User } from '#modules/accounts/index'
import { createActivityType } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { foldCase } from '#core/fold_case'

const TAKEN = "Un type d'activité porte déjà ce nom."

function postType(client: any, staff: User, name: string) {
  return client.post('/gestion/inscriptions/types').form({ name, position: 1 }).withCsrfToken().loginAs(staff).redirects(0)
}

test.group('inscriptions / staff input: Unicode names and impossible dates', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('two activity-type names equal but for non-ASCII case are one name: a French error, the input kept', async ({ client, assert }) => {
    const staff = await createUser('staff')
    ;(await postType(client, staff, 'Été Ÿoga')).assertStatus(302)
    for (const name of ['ÉTÉ ÿOGA', 'été ÿoga', 'Été Ÿoga', 'E\u0301te\u0301 Ÿoga']) {
      const response = await postType(client, staff, name)
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { name: [TAKEN] })
      assert.equal(response.flashMessages().name, name)
    }
    const types = await ActivityType.all()
    assert.lengthOf(types.filter((type) => foldCase(type.name) === foldCase('Été Ÿoga')), 1)

    const other = await createActivityType('Ÿachting')
    const rename = await client
      .post(`/gestion/inscriptions/types/${other.id}`)
      .form({ name: 'ÉTÉ ŸOGA', position: 2 })
      .withCsrfToken()
      .loginAs(staff)
      .redirects(0)
    rename.assertFlashMessage('inputErrorsBag', { name: [TAKEN] })
    assert.equal((await ActivityType.findOrFail(other.id)).name, 'Ÿachting')
  })

  test('impossible activity dates get a French error beside the field, nothing is stored', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const type = await createActivityType()
    const valid = {
      activityTypeId: type.id,
      name: 'Séjour impossible',
      startsOn: '2026-09-01',
      endsOn: '2027-07-01',
      cancellationDeadlineDays: 2,
      weekdays: [3],
      unitLabel: 'journée',
    }
    const cases: Record<string, string>[] = [
      { startsOn: '2026-02-30' },
      { endsOn: '0000-00-00' },
      { startsOn: '2026-13-01' },
      { registrationOpensOn: '2026-02-30' },
      { registrationClosesOn: '0000-00-00' },
    ]
    for (const wrong of cases) {
      const response = await client.post('/gestion/inscriptions/activites').form({ ...valid, ...wrong }).withCsrfToken().loginAs(staff).redirects(0)
      const [field] = Object.keys(wrong)
      response.assertStatus(302)
      const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
      assert.deepEqual(errors[field], ["Cette date n'existe pas ou n'est pas au format jj/mm/aaaa."], field)
      assert.equal(response.flashMessages()[field], wrong[field], 'the input is kept')
    }
    assert.isNull(await Activity.findBy('name', 'Séjour impossible'))
  })

  test('an end before its start, a maximum age under the minimum: every error at once beside its field', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const type = await createActivityType()
    const response = await submitForm(client, staff, '/gestion/inscriptions/activites', {
      activityTypeId: type.id,
      name: 'Séjour à l’envers',
      startsOn: '2026-09-01',
      endsOn: '2026-08-31',
      minAgeMonths: 72,
      maxAgeMonths: 36,
      registrationOpensOn: '2026-06-10',
      registrationClosesOn: '2026-06-09',
      cancellationDeadlineDays: 2,
      weekdays: [3, 4],
      unitLabel: 'journée',
    })
    response.assertStatus(302)
    const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.deepEqual(errors, {
      endsOn: ['La date de fin doit être le jour du début ou après.'],
      maxAgeMonths: ["L'âge maximum doit être supérieur ou égal à l'âge minimum."],
      registrationClosesOn: ["La clôture des inscriptions doit être le jour de l'ouverture ou après."],
    })
    assert.equal(response.flashMessages().endsOn, '2026-08-31', 'the input is kept')
    assert.isNull(await Activity.findBy('name', 'Séjour à l’envers'))
  })
})

test.group('inscriptions / staff input: the same new type twice at the same instant', (group) => {
  // two requests at once need two real transactions: no global test transaction here
  const name = 'Ôrchestre du mercredi'
  let staff: User | null = null
  group.each.teardown(async () => {
    await ActivityType.query().where('name', name).delete()
    await db.from('audit_logs').where('actor_id', staff?.id ?? 0).delete()
    await staff?.delete()
  })

  test('one is created, the other gets the French error, never a 500', async ({ client, assert }) => {
    staff = await createUser('staff')
    const responses = await Promise.all([postType(client, staff, name), postType(client, staff, name)])
    assert.deepEqual(responses.map((r) => r.status()), [302, 302])
    const refused = responses.filter((r) => (r.flashMessages().inputErrorsBag as any)?.name)
    assert.lengthOf(refused, 1)
    assert.deepEqual((refused[0].flashMessages().inputErrorsBag as any).name, [TAKEN])
    assert.lengthOf(await ActivityType.query().where('name', name), 1)
  })
})

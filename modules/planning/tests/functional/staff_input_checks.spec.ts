import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { createActivity, createDay, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

const IMPOSSIBLE = "Cette date n'existe pas ou n'est pas au format jj/mm/aaaa."

test.group('Planning / staff input: unknown ids and impossible dates', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a closure for an unknown activity or on an impossible day: a French error beside the field, nothing stored', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Mercredis' })
    const post = (fields: Record<string, string | number>) =>
      submitForm(client, staff, '/gestion/planning/fermetures', { date: '2026-12-24', reason: 'Fermeture de Noël', ...fields })
    for (const [field, value, message] of [
      ['activity_id', 999999, "Cette activité n'existe pas ou plus."],
      ['activity_id', -1, 'La valeur doit être au moins 1.'],
      ['activity_id', 'abc', 'Ce champ doit être un nombre.'],
      ['date', '2026-02-30', IMPOSSIBLE],
      ['date', '0000-00-00', IMPOSSIBLE],
      ['date', '2026-13-01', IMPOSSIBLE],
    ] as const) {
      const response = await post({ [field]: value })
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { [field]: [message] })
      assert.equal(String(response.flashMessages()[field]), String(value), 'the input is kept')
    }
    assert.lengthOf(await db.from('planning_closures'), 0)

    ;(await post({ activity_id: activity.id })).assertFlashMessage('alert.success', 'Fermeture enregistrée : elle sera écartée à la prochaine génération des jours.')
    assert.lengthOf(await db.from('planning_closures').where('activity_id', activity.id), 1)
  })

  test('school holidays and day generation refuse impossible days', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const holiday = await submitForm(client, staff, '/gestion/planning/vacances', { name: 'Vacances impossibles', starts_on: '2026-02-30', ends_on: '2026-13-01' })
    holiday.assertFlashMessage('inputErrorsBag', { starts_on: [IMPOSSIBLE], ends_on: [IMPOSSIBLE] })
    assert.lengthOf(await db.from('planning_school_holidays').where('name', 'Vacances impossibles'), 0)

    const backwards = await submitForm(client, staff, '/gestion/planning/vacances', { name: 'Vacances à l’envers', starts_on: '2026-10-31', ends_on: '2026-10-17' })
    backwards.assertFlashMessage('inputErrorsBag', { ends_on: ['La fin des vacances doit suivre leur début.'] })
    assert.equal(backwards.flashMessages().ends_on, '2026-10-17', 'the input is kept')
    assert.lengthOf(await db.from('planning_school_holidays').where('name', 'Vacances à l’envers'), 0)

    const activity = await createActivity({ name: 'Accueil du soir' })
    const generate = await submitForm(client, staff, `/gestion/planning/activites/${activity.id}/generer`, { from: '0000-00-00', to: '2026-02-30' })
    generate.assertStatus(302)
    assert.isAbove(Object.keys((generate.flashMessages().inputErrorsBag as object) ?? {}).length, 0)
    assert.lengthOf(await db.from('activity_days').where('activity_id', activity.id), 0)
  })

  test('cancelling for a family with an unknown or malformed booking: a French error beside the field', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const day = await createDay(await createActivity({ name: 'Mercredis' }), dayFromToday(10))
    for (const [bookingId, message] of [
      ['abc', 'Ce champ doit être un nombre.'],
      [-1, 'La valeur doit être au moins 1.'],
      [999999, "Cet enfant n'a pas ou plus de réservation ce jour-là."],
    ] as const) {
      const response = await submitForm(client, staff, `/gestion/planning/jours/${day.id}/annuler`, { booking_id: bookingId, reason: 'Erreur de saisie' })
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { booking_id: [message] })
      assert.equal(response.flashMessages().reason, 'Erreur de saisie')
    }
  })

  test('MODIFICATION AVANCÉE without a period nor holidays, or a period backwards: French errors beside the dates, nothing booked', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Mercredis' })
    const { family, user, children } = await registeredFamily(activity)
    await createDay(activity, dayFromToday(20))
    const post = (fields: Record<string, string>) =>
      submitForm(client, user, '/planning/modification-avancee', { registration: `${children[0].id}-${activity.id}`, mode: 'book', ...fields })
    const NO_PERIOD = 'Indiquez une période (du … au …) ou choisissez des vacances scolaires.'
    ;(await post({})).assertFlashMessage('inputErrorsBag', { from: [NO_PERIOD], to: [NO_PERIOD] })
    ;(await post({ from: dayFromToday(10) })).assertFlashMessage('inputErrorsBag', { to: [NO_PERIOD] })
    const backwards = await post({ from: dayFromToday(30), to: dayFromToday(10) })
    backwards.assertFlashMessage('inputErrorsBag', { to: ['La fin de la période doit être le jour du début ou après.'] })
    assert.equal(backwards.flashMessages().from, dayFromToday(30), 'the input is kept')
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), 0)
  })
})

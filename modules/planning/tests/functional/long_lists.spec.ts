import { test } from '@japa/runner'
import { queriesDuring } from '#tests/helpers/query_log'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#tests/helpers/users'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDays, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'

/** Lists longer than the body parser's default limit of 20 items: every item is saved. */
test.group('Planning forms with 60 items', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  const consecutiveDays = (activity: { id: number }, count: number, capacity?: { room: number; under6: number; over6: number }) =>
    createDays(activity, dayFromToday(10), count, capacity)

  test('the basket books 60 ticked days of two children at once', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const { family, user, children } = await registeredFamily(activity, {
      children: [
        { firstName: 'Lya', birthDate: '2017-03-10' },
        { firstName: 'Noé', birthDate: '2015-09-01' },
      ],
    })
    const days = await consecutiveDays(activity, 30)
    const pairs = children.flatMap((child) => days.map((day) => `${child.id}-${day.id}`))
    assert.lengthOf(pairs, 60)
    const response = await sendBasket(client, user, { date: days[0].day, action: 'apply', shown: pairs, selected: pairs })
    response.assertStatus(200)
    assert.notInclude(response.text(), 'Aucune modification à enregistrer')
    assert.include(response.text(), '60 modifications enregistrées')
    const rows = await db.from('planning_bookings').where('family_id', family.id)
    assert.lengthOf(rows, 60)
  })

  test('the basket preview keeps 60 ticked days ticked', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const { family, user, children } = await registeredFamily(activity)
    const days = await consecutiveDays(activity, 60)
    const pairs = days.map((day) => `${children[0].id}-${day.id}`)
    const response = await sendBasket(client, user, { date: days[0].day, action: 'preview', shown: pairs, selected: pairs })
    response.assertStatus(200)
    assert.include(response.text(), '60 réservations</span> en attente')
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), 0)
  })

  test('MODIFICATION AVANCÉE books a period of 60 days', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Périscolaire' })
    const { family, user, children } = await registeredFamily(activity)
    const days = await consecutiveDays(activity, 60)
    const response = await client
      .post('/planning/modification-avancee')
      .form({ 'registration': `${children[0].id}-${activity.id}`, 'mode': 'book', 'from': days[0].day, 'to': days[59].day, 'weekdays[]': ['1', '2', '3', '4', '5', '6', '7'] })
      .loginAs(user)
      .withCsrfToken()
    response.assertStatus(200)
    assert.include(response.text(), '60 modifications enregistrées')
    const rows = await db.from('planning_bookings').where('family_id', family.id)
    assert.sameMembers(
      rows.map((row) => row.activity_day_id),
      days.map((day) => day.id)
    )
  })

  test('the day sheet records the attendance of 60 children at once', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine' })
    const { family, user, children } = await registeredFamily(activity, {
      children: Array.from({ length: 60 }, (_, index) => ({ firstName: `Enfant${index + 1}`, birthDate: '2016-04-01' })),
    })
    const [day] = await consecutiveDays(activity, 1, { room: 60, under6: 0, over6: 60 })
    for (const child of children) {
      const outcome = await bookingService.book(family.id, child.id, day.id, { as: 'parent', actor: user })
      assert.isTrue(outcome.ok, outcome.message)
    }
    const bookings = await db.from('planning_bookings').where('activity_day_id', day.id)
    assert.lengthOf(bookings, 60)
    let response: any
    const statements = await queriesDuring(async () => {
      response = await client
        .post(`/gestion/planning/jours/${day.id}/presences`)
        .form(Object.fromEntries(bookings.map((booking, index) => [`presence_${booking.id}`, index % 3 === 0 ? 'absent' : 'present'])))
        .loginAs(agent)
        .withCsrfToken()
        .redirects(0)
    })
    response.assertFlashMessage('alert.success', 'Présences enregistrées (60 modifications).')
    const present = await db.from('planning_bookings').where('activity_day_id', day.id).where('attendance', 'present').whereNotNull('attendance_at')
    assert.lengthOf(present, 40)
    assert.lengthOf(await db.from('planning_bookings').where('activity_day_id', day.id).where('attendance', 'absent').where('attendance_by', agent.id), 20)
    // One UPDATE per attendance value, not one per child.
    assert.equal(statements.filter((sql) => /^update\W+planning_bookings/i.test(sql)).length, 2, statements.join('\n'))
  })
})

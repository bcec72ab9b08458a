import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import emitter from '@adonisjs/core/services/emitter'
import { DateTime } from 'luxon'
import { dbTime } from '#core/db_time'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { committedFixtures, createActivity, createDays, createFamily, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { custodyService } from '#modules/dossier/index'

const weekdayOf = (iso: string) => DateTime.fromISO(iso).weekday
const MONDAY_THURSDAY = ['1', '4']

function savePattern(client: any, user: any, form: Record<string, unknown>) {
  return submitForm(client, user, '/planning/reservations-regulieres', form)
}

async function bookedDays(childId: number, activityId: number) {
  return (await db.from('planning_bookings').where('child_id', childId).where('activity_id', activityId).orderBy('day').select('day')).map((row) => String(row.day))
}

async function patternsOf(childId: number) {
  return db.from('planning_weekly_patterns').where('child_id', childId).orderBy('id')
}

function generate(client: any, staff: any, activityId: number, from: string, to: string) {
  return submitForm(client, staff, `/gestion/planning/activites/${activityId}/generer`, { from, to })
}

test.group('Planning: weekly patterns', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('saving a pattern books the coming days on its weekdays, each answered as a basket', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const { user, children } = await registeredFamily(activity)
    const days = await createDays(activity, dayFromToday(7), 28)
    const until = dayFromToday(27)
    const response = await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY, until })
    response.assertStatus(302)
    response.assertHeader('location', '/planning')
    const expected = days.map((day) => day.day).filter((day) => [1, 4].includes(weekdayOf(day)) && day <= until)
    assert.deepEqual(await bookedDays(children[0].id, activity.id), expected)
    const [pattern] = await patternsOf(children[0].id)
    assert.equal(pattern.until_on, until)
    assert.deepEqual(JSON.parse(pattern.weekdays), [1, 4])
    const page = await client.get('/planning').loginAs(user).withSession(response.session()).withFlashMessages(response.flashMessages())
    page.assertTextIncludes(`${expected.length} modifications enregistrées`)
    page.assertTextIncludes('Réservation régulière enregistrée : Lya à Cantine, chaque lundi et jeudi')
    const history = await db.from('family_history_entries').where('family_id', children[0].familyId).where('module', 'planning')
    assert.lengthOf(history, 1, 'one history line for the pattern, not one per day')

    const list = await client.get('/planning/reservations-regulieres').loginAs(user)
    list.assertStatus(200)
    list.assertTextIncludes('lundi et jeudi')
    list.assertTextIncludes('en cours')
  })

  test('without a date the pattern runs to the end of the registration; bad input is said in French beside the field', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine', weekdays: [1, 2, 4, 5] })
    const { user, children } = await registeredFamily(activity)
    const registration = `${children[0].id}-${activity.id}`
    for (const [form, field, message] of [
      [{ registration }, 'weekdays', 'Cochez au moins un jour de la semaine.'],
      [{ registration, 'weekdays[]': ['3'] }, 'weekdays', "Cantine n'a pas lieu le mercredi."],
      [{ registration, 'weekdays[]': ['1'], 'until': dayFromToday(-3) }, 'until', 'La date de fin ne peut pas être passée.'],
      [{ 'registration': `${children[0].id}-999999`, 'weekdays[]': ['1'] }, 'registration', "Choisissez l'enfant et l'activité dans la liste."],
    ] as const) {
      const response = await savePattern(client, user, form)
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { [field]: [message] })
    }
    assert.lengthOf(await patternsOf(children[0].id), 0)
    await savePattern(client, user, { registration, 'weekdays[]': ['1'] })
    const [pattern] = await patternsOf(children[0].id)
    assert.equal(pattern.until_on, activity.endsOn)
    const again = await savePattern(client, user, { registration, 'weekdays[]': ['2'] })
    again.assertFlashMessage('inputErrorsBag', { registration: ['Une réservation régulière existe déjà pour Lya à Cantine : modifiez-la ou arrêtez-la.'] })
  })

  test('the days the staff generate later are booked by the active patterns', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine' })
    const { user, children } = await registeredFamily(activity)
    const saved = await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY })
    saved.assertFlashMessage('alert.info', "Aucun jour ouvert ne correspond pour l'instant : les jours que le service ouvrira seront réservés à leur création.")
    const generated = await generate(client, staff, activity.id, dayFromToday(7), dayFromToday(34))
    generated.assertStatus(302)
    const days = (await db.from('activity_days').where('activity_id', activity.id).orderBy('day').select('day')).map((row) => String(row.day))
    assert.isAbove(days.length, 20)
    const booked = await bookedDays(children[0].id, activity.id)
    assert.deepEqual(booked, days.filter((day) => [1, 4].includes(weekdayOf(day))))
    const rows = await db.from('planning_bookings').where('child_id', children[0].id).select('booked_by', 'source')
    assert.isTrue(rows.every((row) => Number(row.booked_by) === user.id && row.source === 'parent'))
    assert.include(String((generated.flashMessages().alert as Record<string, string> | undefined)?.success), `Réservations régulières des familles : ${booked.length} jours réservés, 0 jour refusé.`)
  })

  test('days refused at generation (full, deadline passed) are reported in the inbox', async ({ client, assert }) => {
    mail.fake()
    await db.table('services').insert({ name: 'Service Enfance', position: 0, created_at: dbTime(), updated_at: dbTime() })
    const staff = await createUser('staff')
    // the deadline falls on a day's eve at midnight, three days before: at any hour, today and the next 3 days are closed to booking
    const activity = await createActivity({ name: 'Cantine', capacity: { room: 1, under6: 1, over6: 1 }, bookingDeadline: { kind: 'hours_before', hours: 72, dayStart: '00:00' } })
    const first = await registeredFamily(activity, { children: [{ firstName: 'Anna', birthDate: '2016-01-01' }] })
    const second = await registeredFamily(activity, { children: [{ firstName: 'Bruno', birthDate: '2016-01-01' }] })
    for (const family of [first, second]) {
      await savePattern(client, family.user, { 'registration': `${family.children[0].id}-${activity.id}`, 'weekdays[]': ['1', '2', '3', '4', '5', '6', '7'] })
    }
    await generate(client, staff, activity.id, dayFromToday(1), dayFromToday(10))
    const days = (await db.from('activity_days').where('activity_id', activity.id).orderBy('day').select('day')).map((row) => String(row.day))
    const bookable = days.filter((day) => day >= dayFromToday(4))
    assert.deepEqual(await bookedDays(first.children[0].id, activity.id), bookable, 'the first pattern takes the one place of each day open to booking')
    assert.deepEqual(await bookedDays(second.children[0].id, activity.id), [])

    const notices = await db.from('messaging_conversations').where('family_id', second.family.id).where('kind', 'notice')
    assert.lengthOf(notices, 1)
    assert.equal(notices[0].subject, `Réservation régulière : ${days.length} jours non réservés (Bruno)`)
    const [message] = await db.from('messaging_messages').where('conversation_id', notices[0].id)
    assert.include(message.body, "complet, plus de place : une place en liste d'attente peut être demandée sur le planning.")
    assert.include(message.body, 'Délai de réservation dépassé')
    const firstNotices = await db.from('messaging_conversations').where('family_id', first.family.id).where('kind', 'notice')
    assert.lengthOf(firstNotices, 1, 'the first family is told of its days past the deadline only')
    assert.notInclude((await db.from('messaging_messages').where('conversation_id', firstNotices[0].id).first()).body, 'complet')
  })

  test('nobody listening (messaging off): the generation books and announces the refusals all the same', async ({ client, assert, cleanup }) => {
    const events = emitter.fake(['planning:patterns-refused'])
    cleanup(() => emitter.restore())
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine', capacity: { room: 0, under6: 0, over6: 0 } })
    const { user, children, family } = await registeredFamily(activity)
    await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY })
    const generated = await generate(client, staff, activity.id, dayFromToday(7), dayFromToday(20))
    generated.assertStatus(302)
    events.assertEmitted(
      'planning:patterns-refused',
      ({ data }) => data.reports.length === 1 && data.reports[0].familyId === family.id && data.reports[0].bookedCount === 0 && data.reports[0].refused.length === 4
    )
    assert.lengthOf(await db.from('messaging_conversations').where('family_id', family.id), 0)
  })

  test('under shared custody, the pattern books its family\'s weeks only and reports nothing of the other household\'s', async ({ client, assert }) => {
    mail.fake()
    await db.table('services').insert({ name: 'Service Enfance', position: 0, created_at: dbTime(), updated_at: dbTime() })
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine' })
    const { user, children, family } = await registeredFamily(activity)
    const other = await createFamily({ children: [] })
    await custodyService.setUp(children[0], { otherFamilyId: other.family.id, evenWeeks: 'child_family', startsOn: dayFromToday(0) }, staff)
    const ours = (day: string) => DateTime.fromISO(day).weekNumber % 2 === 0
    const days = (await createDays(activity, dayFromToday(7), 14)).map((day) => day.day)
    const saved = await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': ['1', '2', '3', '4', '5', '6', '7'] })
    const lines = (saved.flashMessages().planning as unknown as { results: { ok: boolean }[] }).results
    assert.deepEqual(await bookedDays(children[0].id, activity.id), days.filter(ours))
    assert.lengthOf(lines, days.filter(ours).length, 'the other household\'s days are not listed as refused')
    await generate(client, staff, activity.id, dayFromToday(30), dayFromToday(43))
    const generated = (await db.from('activity_days').where('activity_id', activity.id).where('day', '>=', dayFromToday(30)).select('day')).map((row) => String(row.day))
    assert.includeMembers(await bookedDays(children[0].id, activity.id), generated.filter(ours))
    assert.lengthOf(await db.from('planning_bookings').where('child_id', children[0].id).whereIn('day', generated.filter((day) => !ours(day))), 0)
    assert.lengthOf(await db.from('messaging_conversations').where('family_id', family.id).where('kind', 'notice'), 0)
  })

  test('a stopped pattern books nothing new; the days it booked stay', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Cantine' })
    const { user, children } = await registeredFamily(activity)
    await createDays(activity, dayFromToday(7), 7)
    await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY })
    const before = await bookedDays(children[0].id, activity.id)
    assert.lengthOf(before, 2)
    const [pattern] = await patternsOf(children[0].id)
    const stopped = await submitForm(client, user, `/planning/reservations-regulieres/${pattern.id}/arreter`, {})
    stopped.assertFlashMessage('alert.success', "Réservation régulière de Lya à Cantine arrêtée : les jours déjà réservés le restent, aucun nouveau jour ne sera réservé.")
    await generate(client, staff, activity.id, dayFromToday(14), dayFromToday(40))
    assert.deepEqual(await bookedDays(children[0].id, activity.id), before)
    const edit = await client.get(`/planning/reservations-regulieres/${pattern.id}`).loginAs(user).redirects(0)
    edit.assertStatus(302)
    // stopped, the child may get a new pattern on the activity
    await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': ['2'] })
    assert.lengthOf(await patternsOf(children[0].id), 2)
  })

  test('editing a pattern books the coming days of its new weekdays; the days already booked stay', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const { user, children } = await registeredFamily(activity)
    const days = (await createDays(activity, dayFromToday(7), 28)).map((day) => day.day)
    await savePattern(client, user, { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': ['1'] })
    const mondays = days.filter((day) => weekdayOf(day) === 1)
    assert.deepEqual(await bookedDays(children[0].id, activity.id), mondays)
    const [pattern] = await patternsOf(children[0].id)
    const page = await client.get(`/planning/reservations-regulieres/${pattern.id}`).loginAs(user)
    page.assertStatus(200)
    page.assertTextIncludes('Modifier une réservation régulière')
    const until = dayFromToday(20)
    const response = await submitForm(client, user, `/planning/reservations-regulieres/${pattern.id}`, { 'weekdays[]': ['4'], until })
    response.assertHeader('location', '/planning')
    const thursdays = days.filter((day) => weekdayOf(day) === 4 && day <= until)
    assert.deepEqual(await bookedDays(children[0].id, activity.id), [...mondays, ...thursdays].sort())
    const [changed] = await patternsOf(children[0].id)
    assert.deepEqual(JSON.parse(changed.weekdays), [4])
    assert.equal(changed.until_on, until)
    // the registration over, the pattern can no longer be changed
    await db.from('registrations').where('child_id', children[0].id).update({ state: 'cancelled', active_key: null, end_date: dayFromToday(-1) })
    const late = await submitForm(client, user, `/planning/reservations-regulieres/${pattern.id}`, { 'weekdays[]': ['1'] })
    late.assertFlashMessage('alert.error', "L'inscription de Lya à Cantine est terminée : cette réservation régulière ne peut plus être modifiée.")
  })

  test("another family's pattern: 404 on every route, nothing changed", async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const owner = await registeredFamily(activity)
    const other = await registeredFamily(activity, { children: [{ firstName: 'Noé', birthDate: '2018-05-05' }] })
    await createDays(activity, dayFromToday(7), 7)
    await savePattern(client, owner.user, { 'registration': `${owner.children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY })
    const [pattern] = await patternsOf(owner.children[0].id)
    const path = `/planning/reservations-regulieres/${pattern.id}`
    ;(await client.get(path).loginAs(other.user)).assertStatus(404)
    ;(await submitForm(client, other.user, path, { 'weekdays[]': ['2'] })).assertStatus(404)
    ;(await submitForm(client, other.user, `${path}/arreter`, {})).assertStatus(404)
    const list = await client.get('/planning/reservations-regulieres').loginAs(other.user)
    assert.notInclude(list.text(), 'lundi et jeudi')
    // a registration of another family's child is not offered nor taken
    const stolen = await savePattern(client, other.user, { 'registration': `${owner.children[0].id}-${activity.id}`, 'weekdays[]': ['2'] })
    stolen.assertFlashMessage('inputErrorsBag', { registration: ["Choisissez l'enfant et l'activité dans la liste."] })
    const [after] = await patternsOf(owner.children[0].id)
    assert.deepEqual([after.weekdays, after.stopped_at], ['[1,4]', null])
  })
})

test.group('Planning: weekly patterns under a double submit', () => {
  test('the same form sent twice at once makes one pattern and books each day once', async ({ client, assert, cleanup }) => {
    const fixtures = committedFixtures(cleanup)
    const activity = await fixtures.activity({ name: 'Cantine' })
    const { user, children } = await fixtures.registeredFamily(activity)
    await createDays(activity, dayFromToday(7), 21)
    const form = { 'registration': `${children[0].id}-${activity.id}`, 'weekdays[]': MONDAY_THURSDAY }
    const answers = await Promise.all([savePattern(client, user, form), savePattern(client, user, form)])
    assert.deepEqual(answers.map((answer) => answer.status()), [302, 302])
    assert.lengthOf(await patternsOf(children[0].id), 1)
    const booked = await bookedDays(children[0].id, activity.id)
    assert.lengthOf(booked, 6)
    assert.lengthOf(new Set(booked), 6)
    const counters = await db.from('activity_days').where('activity_id', activity.id).sum('booked_over6 as total').first()
    assert.equal(Number(counters.total), 6)
  })
})

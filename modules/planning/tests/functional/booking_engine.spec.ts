import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, createFamily, dayCounts, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'

const actorOf = (user: { id: number; fullName: string }) => ({ id: user.id, fullName: user.fullName })

test.group('Booking engine', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a booking takes a place of the child age group; a cancellation gives it back', async ({ assert }) => {
    const activity = await createActivity()
    const day = await createDay(activity, dayFromToday(10), { room: 3, under6: 1, over6: 2 })
    const { family, user, children } = await registeredFamily(activity, {
      children: [
        { firstName: 'Lya', birthDate: '2016-01-01' },
        { firstName: 'Mael', birthDate: dayFromToday(-4 * 365) },
      ],
    })
    const [lya, mael] = children
    const first = await bookingService.book(family.id, lya.id, day.id, { as: 'parent', actor: actorOf(user) })
    assert.isTrue(first.ok, first.message)
    const second = await bookingService.book(family.id, mael.id, day.id, { as: 'parent', actor: actorOf(user) })
    assert.isTrue(second.ok, second.message)
    let counts = await dayCounts(day.id)
    assert.deepInclude(counts, { under6: 1, over6: 1, rowsUnder6: 1, rowsOver6: 1 })

    const again = await bookingService.book(family.id, lya.id, day.id, { as: 'parent', actor: actorOf(user) })
    assert.isFalse(again.ok)
    assert.equal(!again.ok && again.reason, 'already_booked')

    const cancelled = await bookingService.cancel(family.id, lya.id, day.id, { as: 'parent', actor: actorOf(user) })
    assert.isTrue(cancelled.ok, cancelled.message)
    counts = await dayCounts(day.id)
    assert.deepInclude(counts, { under6: 1, over6: 0, rows: 1 })
    const history = await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning').orderBy('id')
    assert.deepEqual(
      history.map((row) => row.kind),
      ['booking', 'booking', 'cancellation']
    )
  })

  test('under 6 and 6 and over are counted apart, within the room limit', async ({ assert }) => {
    const activity = await createActivity()
    const day = await createDay(activity, dayFromToday(10), { room: 2, under6: 1, over6: 5 })
    const { family, user, children } = await registeredFamily(activity, {
      children: [
        { firstName: 'Petit', birthDate: dayFromToday(-3 * 365) },
        { firstName: 'Petite', birthDate: dayFromToday(-4 * 365) },
        { firstName: 'Grand', birthDate: '2015-05-05' },
        { firstName: 'Grande', birthDate: '2014-05-05' },
      ],
    })
    const results = []
    for (const child of children) results.push(await bookingService.book(family.id, child.id, day.id, { as: 'parent', actor: actorOf(user) }))
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.reason)),
      ['ok', 'full', 'ok', 'full']
    )
    assert.isTrue(!results[1].ok && results[1].waitlistOffered)
    assert.deepInclude(await dayCounts(day.id), { under6: 1, over6: 1, rows: 2 })
  })

  test('refusals say why: not registered that day, closed, not yet open, past the deadline', async ({ assert }) => {
    const activity = await createActivity({ bookingOpensOn: dayFromToday(5) })
    const { family, user, children } = await createFamily()
    await createValidatedRegistration(activity, family.id, children[0].id, dayFromToday(20))
    const early = await createDay(activity, dayFromToday(10))
    const late = await createDay(activity, dayFromToday(25))
    const notRegistered = await bookingService.book(family.id, children[0].id, early.id, { as: 'parent', actor: actorOf(user) })
    assert.equal(!notRegistered.ok && notRegistered.reason, 'not_registered')
    const notOpen = await bookingService.book(family.id, children[0].id, late.id, { as: 'parent', actor: actorOf(user) })
    assert.equal(!notOpen.ok && notOpen.reason, 'not_open')
    assert.match(notOpen.message, /Cette activité est ouverte à partir du \d{2}\/\d{2}\/\d{4}/)

    const open = await createActivity()
    await createValidatedRegistration(open, family.id, children[0].id)
    const tomorrow = await createDay(open, dayFromToday(1))
    const deadline = await bookingService.book(family.id, children[0].id, tomorrow.id, { as: 'parent', actor: actorOf(user) })
    assert.equal(!deadline.ok && deadline.reason, 'deadline')
    const closedDay = await createDay(open, dayFromToday(15))
    await db.from('activity_days').where('id', closedDay.id).update({ closed: true, closed_reason: 'Travaux' })
    const closed = await bookingService.book(family.id, children[0].id, closedDay.id, { as: 'parent', actor: actorOf(user) })
    assert.equal(!closed.ok && closed.reason, 'closed')
    assert.equal((await dayCounts(tomorrow.id)).rows, 0)
  })

  test('staff book on behalf past the deadline or over capacity, with an audited reason and a late flag', async ({ assert }) => {
    const activity = await createActivity()
    const tomorrow = await createDay(activity, dayFromToday(1), { room: 1, under6: 1, over6: 1 })
    const a = await registeredFamily(activity)
    const b = await registeredFamily(activity)
    const agent = a.user // any user as actor; the staff rights are checked by the route
    const late = await bookingService.book(a.family.id, a.children[0].id, tomorrow.id, { as: 'staff', actor: actorOf(agent), reason: 'Appel du papa' })
    assert.isTrue(late.ok, late.message)
    const full = await bookingService.book(b.family.id, b.children[0].id, tomorrow.id, { as: 'staff', actor: actorOf(agent), reason: 'Urgence' })
    assert.equal(!full.ok && full.reason, 'full')
    const forced = await bookingService.book(b.family.id, b.children[0].id, tomorrow.id, {
      as: 'staff',
      actor: actorOf(agent),
      reason: 'Urgence familiale',
      overCapacity: true,
    })
    assert.isTrue(forced.ok, forced.message)
    let counts = await dayCounts(tomorrow.id)
    assert.deepInclude(counts, { over6: 2, capacityOver6: 2, room: 2, rows: 2 })
    const rows = await db.from('planning_bookings').where('activity_day_id', tomorrow.id).orderBy('id')
    assert.isTrue(Boolean(rows[0].late))
    assert.isTrue(Boolean(rows[1].forced))
    const logged = await db.from('audit_logs').where('action', 'planning.booking.on_behalf').whereIn('subject_id', rows.map((r) => String(r.id)))
    assert.lengthOf(logged, 2)
    assert.include(logged.map((l) => JSON.parse(l.details).reason), 'Urgence familiale')

    const undone = await bookingService.cancel(b.family.id, b.children[0].id, tomorrow.id, { as: 'staff', actor: actorOf(agent), reason: 'Erreur' })
    assert.isTrue(undone.ok)
    counts = await dayCounts(tomorrow.id)
    assert.deepInclude(counts, { over6: 1, capacityOver6: 1, room: 1, rows: 1 })
  })

  test('a cancellation offers the place to the first in line, held for that child, in the same transaction, and announces it', async ({ assert, cleanup }) => {
    const activity = await createActivity({ name: 'Mercredis' })
    const day = await createDay(activity, dayFromToday(12), { room: 1, under6: 1, over6: 1 })
    const a = await registeredFamily(activity, { children: [{ firstName: 'Alice', birthDate: '2016-01-01' }] })
    const b = await registeredFamily(activity, { children: [{ firstName: 'Bruno', birthDate: '2016-01-01' }] })
    const c = await registeredFamily(activity, { children: [{ firstName: 'Chloé', birthDate: '2016-01-01' }] })
    assert.isTrue((await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })).ok)
    const waitB = await bookingService.joinWaitlist(b.family.id, b.children[0].id, day.id, { as: 'parent', actor: actorOf(b.user) })
    const waitC = await bookingService.joinWaitlist(c.family.id, c.children[0].id, day.id, { as: 'parent', actor: actorOf(c.user) })
    assert.isTrue(waitB.ok && waitC.ok)
    assert.include(waitC.message, 'rang 2')

    const events = emitter.fake(['planning:offer-made', 'planning:promoted'])
    cleanup(() => emitter.restore())
    assert.isTrue((await bookingService.cancel(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })).ok)
    assert.lengthOf(await db.from('planning_bookings').where('activity_day_id', day.id), 0)
    // the place is held for Bruno: counted on the day, nobody else can book it
    assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 0, held: 1 })
    const offers = await db.from('planning_waitlist_offers').where('activity_day_id', day.id)
    assert.lengthOf(offers, 1)
    assert.equal(offers[0].child_id, b.children[0].id)
    assert.equal(offers[0].status, 'pending')
    const refused = await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
    assert.isFalse(refused.ok)
    events.assertEmitted('planning:offer-made', ({ data }) => data.familyId === b.family.id && data.childFirstName === 'Bruno' && data.activityName === 'Mercredis' && data.date === day.day && data.url.endsWith(`/planning/places-proposees/${offers[0].id}`))
    events.assertNotEmitted('planning:promoted')
    const history = await db.from('family_history_entries').where('family_id', b.family.id).where('kind', 'waitlist-offer')
    assert.lengthOf(history, 1)
  })

  test('no offer once the booking deadline of the day has passed: the place is free', async ({ assert }) => {
    const activity = await createActivity()
    const day = await createDay(activity, dayFromToday(1), { room: 1, under6: 1, over6: 1 })
    const a = await registeredFamily(activity)
    const b = await registeredFamily(activity)
    await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'staff', actor: actorOf(a.user), reason: 'test' })
    await db.table('planning_waitlist_entries').insert({
      activity_day_id: day.id,
      activity_id: activity.id,
      child_id: b.children[0].id,
      family_id: b.family.id,
      day: day.day,
      age_group: 'over6',
      created_at: new Date().toISOString(),
    })
    assert.isTrue((await bookingService.cancel(a.family.id, a.children[0].id, day.id, { as: 'staff', actor: actorOf(a.user), reason: 'malade' })).ok)
    assert.deepInclude(await dayCounts(day.id), { over6: 0, rows: 0, held: 0 })
  })
})

test.group('End of a registration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an ended registration gives back the places of the coming days after its last day, past days stay', async ({ assert }) => {
    const { default: registrationEndService } = await import('#modules/planning/services/registration_end_service')
    const activity = await createActivity()
    const { family, user, children } = await createFamily()
    const registration = await createValidatedRegistration(activity, family.id, children[0].id)
    const days = [await createDay(activity, dayFromToday(-3)), await createDay(activity, dayFromToday(10)), await createDay(activity, dayFromToday(20))]
    for (const day of days) await bookingService.book(family.id, children[0].id, day.id, { as: 'staff', actor: actorOf(user), reason: 'test' })
    registration.merge({ state: 'cancelled', activeKey: null, endDate: dayFromToday(12) })
    await registration.save()
    assert.equal(await registrationEndService.release(registration.id), 1)
    const left = await db.from('planning_bookings').where('child_id', children[0].id).orderBy('day')
    assert.deepEqual(left.map((row) => row.activity_day_id), [days[0].id, days[1].id])
    assert.deepInclude(await dayCounts(days[2].id), { rows: 0, over6: 0 })
  })
})

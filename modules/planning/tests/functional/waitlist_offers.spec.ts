import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import bookingService from '#modules/planning/services/booking_service'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { offerHours } from '#modules/planning/services/waitlist_offers'
import { committedFixtures, createActivity, createDay, dayCounts, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { submitForm } from '#tests/helpers/requests'

const actorOf = (user: { id: number; fullName: string }) => ({ id: user.id, fullName: user.fullName })

/** A full day (one place, taken by Alice), Bruno then Chloé on its waiting list, then Alice cancels: Bruno is offered the place. */
async function offeredDay(options: { dayOffset?: number } = {}) {
  const activity = await createActivity({ name: 'Mercredis' })
  const day = await createDay(activity, dayFromToday(options.dayOffset ?? 12), { room: 1, under6: 1, over6: 1 })
  const a = await registeredFamily(activity, { children: [{ firstName: 'Alice', birthDate: '2016-01-01' }] })
  const b = await registeredFamily(activity, { children: [{ firstName: 'Bruno', birthDate: '2016-01-01' }] })
  const c = await registeredFamily(activity, { children: [{ firstName: 'Chloé', birthDate: '2016-01-01' }] })
  await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
  await bookingService.joinWaitlist(b.family.id, b.children[0].id, day.id, { as: 'parent', actor: actorOf(b.user) })
  await bookingService.joinWaitlist(c.family.id, c.children[0].id, day.id, { as: 'parent', actor: actorOf(c.user) })
  await bookingService.cancel(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
  const offer = await db.from('planning_waitlist_offers').where('activity_day_id', day.id).where('status', 'pending').firstOrFail()
  return { activity, day, a, b, c, offer }
}

async function pendingOffer(dayId: number) {
  return db.from('planning_waitlist_offers').where('activity_day_id', dayId).where('status', 'pending').first()
}

test.group('Waiting list: a freed place is offered, one click books it', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => emitter.restore())

  test('the offer is held until min(now + PLANNING_OFFER_HOURS, booking deadline) and the page states the time in Paris', async ({ assert, client }) => {
    const { b, offer, day } = await offeredDay()
    const hours = (await waitlistOfferService.forFamily(b.family.id, offer.id)).expiresAt.diffNow('hours').hours
    assert.isAbove(hours, offerHours() - 0.1)
    assert.isAtMost(hours, offerHours())
    const page = await client.get(`/planning/places-proposees/${offer.id}`).loginAs(b.user)
    page.assertStatus(200)
    page.assertTextIncludes("Une place s&#x27;est libérée")
    page.assertTextIncludes('(heure de Paris)')
    page.assertTextIncludes('Réserver cette place')
    assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 0, held: 1 })
  })

  test('a place whose deadline comes first is held only until the deadline', async ({ assert }) => {
    const { b, offer } = await offeredDay({ dayOffset: 3 })
    const expires = (await waitlistOfferService.forFamily(b.family.id, offer.id)).expiresAt
    // J-2 at 12:00 Paris: sooner than now + 24 h only when it is; never later than the deadline
    const deadline = DateTime.fromISO(dayFromToday(1), { zone: 'Europe/Paris' }).set({ hour: 12 }).toUTC()
    assert.isAtMost(expires.toMillis(), deadline.toMillis())
  })

  test('one click books the day; a second click books nothing more and says it is booked', async ({ assert, client }) => {
    const { b, offer, day } = await offeredDay()
    const events = emitter.fake(['planning:promoted', 'planning:offer-made'])
    const [first, second] = await Promise.all([
      submitForm(client, b.user, `/planning/places-proposees/${offer.id}`, {}),
      submitForm(client, b.user, `/planning/places-proposees/${offer.id}`, {}),
    ])
    first.assertStatus(302)
    second.assertStatus(302)
    const bookings = await db.from('planning_bookings').where('activity_day_id', day.id)
    assert.lengthOf(bookings, 1)
    assert.equal(bookings[0].child_id, b.children[0].id)
    assert.equal(bookings[0].source, 'waitlist')
    assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 1, held: 0 })
    assert.lengthOf(await db.from('planning_waitlist_entries').where('activity_day_id', day.id).where('child_id', b.children[0].id), 0)
    events.assertEmitted('planning:promoted', ({ data }) => data.familyId === b.family.id)
    ;(await submitForm(client, b.user, `/planning/places-proposees/${offer.id}`, {})).assertStatus(302)
    const page = await client.get(`/planning/places-proposees/${offer.id}`).loginAs(b.user)
    page.assertStatus(200)
    page.assertTextIncludes('Cette place est réservée')
    assert.lengthOf(await db.from('planning_bookings').where('activity_day_id', day.id), 1)
  })

  test('another family is refused: nothing booked, the offer stays', async ({ assert, client }) => {
    const { a, offer, day } = await offeredDay()
    ;(await client.get(`/planning/places-proposees/${offer.id}`).loginAs(a.user)).assertStatus(404)
    ;(await submitForm(client, a.user, `/planning/places-proposees/${offer.id}`, {})).assertStatus(404)
    ;(await submitForm(client, a.user, `/planning/places-proposees/${offer.id}/refuser`, {})).assertStatus(404)
    assert.lengthOf(await db.from('planning_bookings').where('activity_day_id', day.id), 0)
    assert.equal((await pendingOffer(day.id))?.id, offer.id)
  })

  test('past its time the offer passes to the next in line (cron), and the link says so in French', async ({ assert, client }) => {
    const { b, c, offer, day } = await offeredDay()
    const events = emitter.fake(['planning:offer-made'])
    const later = DateTime.utc().plus({ hours: offerHours() + 1 })
    assert.equal(await waitlistOfferService.expireDue(later), 1)
    const next = await pendingOffer(day.id)
    assert.equal(next.child_id, c.children[0].id)
    events.assertEmitted('planning:offer-made', ({ data }) => data.familyId === c.family.id)
    assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 0, held: 1 })
    // Bruno left the waiting list
    assert.lengthOf(await db.from('planning_waitlist_entries').where('activity_day_id', day.id).where('child_id', b.children[0].id), 0)
    const click = await submitForm(client, b.user, `/planning/places-proposees/${offer.id}`, {})
    click.assertStatus(302)
    const page = await client.get(`/planning/places-proposees/${offer.id}`).loginAs(b.user)
    page.assertTextIncludes('Cette proposition a expiré le')
    assert.lengthOf(await db.from('planning_bookings').where('activity_day_id', day.id), 0)
  })

  test('an expired offer passes on lazily when its page is opened', async ({ assert, client }) => {
    const { b, c, offer, day } = await offeredDay()
    emitter.fake(['planning:offer-made'])
    await db.from('planning_waitlist_offers').where('id', offer.id).update({ expires_at: DateTime.utc().minus({ minutes: 1 }).toFormat(db.connection().dialect.dateTimeFormat) })
    const page = await client.get(`/planning/places-proposees/${offer.id}`).loginAs(b.user)
    page.assertStatus(200)
    page.assertTextIncludes('Cette proposition a expiré le')
    assert.equal((await pendingOffer(day.id))?.child_id, c.children[0].id)
  })

  test("an expired offer passes on lazily when the family's planning is opened, and the planning no longer shows it", async ({ assert, client }) => {
    const { b, c, offer, day } = await offeredDay()
    emitter.fake(['planning:offer-made'])
    await db.from('planning_waitlist_offers').where('id', offer.id).update({ expires_at: DateTime.utc().minus({ minutes: 1 }).toFormat(db.connection().dialect.dateTimeFormat) })
    const planning = await client.get('/planning').qs({ date: day.day }).loginAs(b.user)
    planning.assertStatus(200)
    assert.notInclude(planning.text(), 'vous est proposée')
    assert.equal((await db.from('planning_waitlist_offers').where('id', offer.id).firstOrFail()).status, 'expired')
    assert.equal((await pendingOffer(day.id))?.child_id, c.children[0].id)
    ;(await client.get('/planning').qs({ date: day.day }).loginAs(c.user)).assertTextIncludes('Une place vous est proposée')
  })

  test('declined, the place passes to the next in line; with no one left it is free again', async ({ assert, client }) => {
    const { a, b, c, offer, day } = await offeredDay()
    emitter.fake(['planning:offer-made'])
    ;(await submitForm(client, b.user, `/planning/places-proposees/${offer.id}/refuser`, {})).assertStatus(302)
    const next = await pendingOffer(day.id)
    assert.equal(next.child_id, c.children[0].id)
    ;(await submitForm(client, c.user, `/planning/places-proposees/${next.id}/refuser`, {})).assertStatus(302)
    assert.isNull(await pendingOffer(day.id))
    assert.deepInclude(await dayCounts(day.id), { over6: 0, rows: 0, held: 0 })
    const booked = await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
    assert.isTrue(booked.ok, booked.message)
  })

  test('leaving the waiting list while holding an offer passes the place on', async ({ assert }) => {
    const { b, c, day } = await offeredDay()
    emitter.fake(['planning:offer-made'])
    assert.isTrue(await bookingService.leaveWaitlist(b.family.id, b.children[0].id, day.id))
    assert.equal((await pendingOffer(day.id))?.child_id, c.children[0].id)
    assert.deepInclude(await dayCounts(day.id), { over6: 1, held: 1 })
  })

  test('a registration that ends passes the place held for the child to the next in line', async ({ assert }) => {
    const { b, c, day, activity } = await offeredDay()
    emitter.fake(['planning:offer-made'])
    const { default: registrationEndService } = await import('#modules/planning/services/registration_end_service')
    const registration = await db.from('registrations').where('child_id', b.children[0].id).where('activity_id', activity.id).firstOrFail()
    await db.from('registrations').where('id', registration.id).update({ state: 'cancelled', active_key: null, end_date: null })
    await registrationEndService.release(registration.id)
    assert.equal((await pendingOffer(day.id))?.child_id, c.children[0].id)
    assert.equal((await db.from('planning_waitlist_offers').where('child_id', b.children[0].id).firstOrFail()).status, 'withdrawn')
    assert.deepInclude(await dayCounts(day.id), { over6: 1, held: 1, rows: 0 })
  })

  test("the staff's day sheet shows who holds the offer and until when; the family's planning shows it too", async ({ client }) => {
    const { b, day } = await offeredDay()
    const { createUser } = await import('#tests/helpers/users')
    const agent = await createUser('staff')
    const sheet = await client.get(`/gestion/planning/jours/${day.id}`).loginAs(agent)
    sheet.assertStatus(200)
    sheet.assertTextIncludes('Oui, gardée jusqu&#x27;au')
    const planning = await client.get('/planning').qs({ date: day.day }).loginAs(b.user)
    planning.assertTextIncludes('Une place vous est proposée')
  })
})

test.group('Waiting list offer: a double click on two connections at once (committed)', () => {
  test('books once; the counter holds the one booking', async ({ assert, cleanup }) => {
    const fixtures = committedFixtures(cleanup)
    const activity = await fixtures.activity({ name: 'Mercredis' })
    const day = await createDay(activity, dayFromToday(12), { room: 1, under6: 1, over6: 1 })
    const a = await fixtures.registeredFamily(activity)
    const b = await fixtures.registeredFamily(activity)
    await bookingService.book(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
    await bookingService.joinWaitlist(b.family.id, b.children[0].id, day.id, { as: 'parent', actor: actorOf(b.user) })
    await bookingService.cancel(a.family.id, a.children[0].id, day.id, { as: 'parent', actor: actorOf(a.user) })
    const offer = await pendingOffer(day.id)
    const answers = await Promise.all([
      waitlistOfferService.accept(b.family.id, offer.id, actorOf(b.user)),
      waitlistOfferService.accept(b.family.id, offer.id, actorOf(b.user)),
    ])
    assert.sameMembers(answers.map((answer) => answer.status), ['booked', 'already_booked'])
    assert.deepInclude(await dayCounts(day.id), { over6: 1, rows: 1, held: 0 })
  }).timeout(60_000)
})

import { test } from '@japa/runner'
import fc from 'fast-check'
import db from '@adonisjs/lucid/services/db'
import { User } from '#modules/accounts/index'
import { Family, type Child } from '#modules/dossier/index'
import { Activity } from '#modules/inscriptions/index'
import bookingService from '#modules/planning/services/booking_service'
import { committedFixtures, createDay, dayCounts, dayFromToday } from '#modules/planning/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'

/** These tests commit for real (concurrent requests cannot share one test transaction) and clean up after. */
test.group('Bookings under load (real HTTP, committed)', () => {
  test('200 concurrent booking requests for a day with 5 places: exactly 5 bookings, 195 clear refusals, no 500', async ({ client, assert, cleanup }) => {
    const committed = committedFixtures(cleanup)
    const activity = await committed.activity({ name: 'Rush' })
    const day = await createDay(activity, dayFromToday(15), { room: 5, under6: 5, over6: 5 })
    const requests: { user: User; child: Child }[] = []
    for (let f = 0; f < 20; f++) {
      const { user, children } = await committed.registeredFamily(activity, {
        children: Array.from({ length: 10 }, (_, i) => ({ firstName: `Enfant${f}-${i}`, birthDate: i % 2 ? '2016-04-04' : dayFromToday(-4 * 365) })),
      })
      for (const child of children) requests.push({ user, child })
    }
    assert.lengthOf(requests, 200)

    const responses = await Promise.all(
      requests.map(({ user, child }) =>
        sendBasket(client, user, { date: day.day, action: 'apply', shown: [`${child.id}-${day.id}`], selected: [`${child.id}-${day.id}`] })
          .redirects(0)
      )
    )
    const statuses = responses.map((response) => response.status())
    assert.deepEqual([...new Set(statuses)], [302], `statuses: ${JSON.stringify(statuses.filter((s) => s !== 302))}`)
    const lines = responses.flatMap((response) => ((response.flashMessages() as any).planning?.results ?? []) as any[])
    assert.lengthOf(lines, 200)
    assert.lengthOf(lines.filter((line) => line.ok), 5)
    const refused = lines.filter((line) => !line.ok)
    assert.lengthOf(refused, 195)
    for (const line of refused) {
      assert.match(line.message, /complet, plus de place/)
      assert.isTrue(line.waitlistOffered)
    }
    const counts = await dayCounts(day.id)
    assert.equal(counts.rows, 5)
    assert.equal(counts.under6 + counts.over6, 5)
    assert.equal(counts.under6, counts.rowsUnder6)
    assert.equal(counts.over6, counts.rowsOver6)
  }).timeout(180_000)

  test('two guardians of one family book and cancel the same day at once: counter = rows, never more than one', async ({ client, assert, cleanup }) => {
    const committed = committedFixtures(cleanup)
    const activity = await committed.activity({ name: 'Duo' })
    const day = await createDay(activity, dayFromToday(15), { room: 5, under6: 5, over6: 5 })
    const { family, users, children } = await committed.registeredFamily(activity, { guardians: 2 })
    const value = `${children[0].id}-${day.id}`
    const book = (user: User) =>
      client.post('/planning').form({ action: 'apply', shown: [value], selected: [value] }).loginAs(user).withCsrfToken().redirects(0)
    const cancel = (user: User) => client.post('/planning').form({ action: 'apply', shown: [value] }).loginAs(user).withCsrfToken().redirects(0)
    for (let round = 0; round < 15; round++) {
      const [a, b] = round % 2 ? [users[0], users[1]] : [users[1], users[0]]
      const responses = await Promise.all([book(a), book(b), cancel(b), book(a), cancel(a)])
      for (const response of responses) assert.equal(response.status(), 302)
      const counts = await dayCounts(day.id)
      assert.isAtMost(counts.rows, 1)
      assert.equal(counts.over6 + counts.under6, counts.rows, `round ${round}`)
    }
    const history = await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning')
    const rows = (await dayCounts(day.id)).rows
    const bookingsMade = history.filter((h) => h.kind === 'booking').length
    const cancellations = history.filter((h) => h.kind === 'cancellation').length
    assert.equal(bookingsMade - cancellations, rows, 'every applied change is in the history, exactly once')
  }).timeout(120_000)

  test('property: random concurrent book / cancel / waiting-list sequences keep counter = rows <= capacity', async ({ assert, cleanup }) => {
    const committed = committedFixtures(cleanup)
    const activity = await committed.activity({ name: 'Hasard' })
    const { family, user, children } = await committed.registeredFamily(activity, {
      children: Array.from({ length: 6 }, (_, i) => ({ firstName: `Kid${i}`, birthDate: i < 3 ? dayFromToday(-3 * 365) : '2015-01-01' })),
    })
    const actor = { id: user.id, fullName: user.fullName }
    let offset = 10

    const operation = fc.record({
      kind: fc.constantFrom('book', 'cancel', 'wait', 'staff-force', 'staff-cancel'),
      child: fc.integer({ min: 0, max: children.length - 1 }),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.record({ room: fc.integer({ min: 0, max: 4 }), under6: fc.integer({ min: 0, max: 3 }), over6: fc.integer({ min: 0, max: 3 }) }),
        fc.array(fc.array(operation, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        async (capacity, batches) => {
          const day = await createDay(activity, dayFromToday(offset++), capacity)
          for (const batch of batches) {
            await Promise.all(
              batch.map(({ kind, child }) => {
                const childId = children[child].id
                if (kind === 'book') return bookingService.book(family.id, childId, day.id, { as: 'parent', actor })
                if (kind === 'wait') return bookingService.joinWaitlist(family.id, childId, day.id, { as: 'parent', actor })
                if (kind === 'staff-force') return bookingService.book(family.id, childId, day.id, { as: 'staff', actor, reason: 'test', overCapacity: true })
                if (kind === 'staff-cancel') return bookingService.cancel(family.id, childId, day.id, { as: 'staff', actor, reason: 'test' })
                return bookingService.cancel(family.id, childId, day.id, { as: 'parent', actor })
              })
            )
            const counts = await dayCounts(day.id)
            if (counts.under6 !== counts.rowsUnder6 + counts.heldUnder6 || counts.over6 !== counts.rowsOver6 + counts.heldOver6) return false
            if (counts.under6 > counts.capacityUnder6 || counts.over6 > counts.capacityOver6) return false
            if (counts.rows + counts.held > counts.room) return false
            const forced = await db.from('planning_bookings').where('activity_day_id', day.id).where('forced', true)
            if (counts.room - forced.length !== capacity.room) return false
            const both = await db
              .from('planning_waitlist_entries')
              .join('planning_bookings', (join) => {
                join.on('planning_bookings.activity_day_id', 'planning_waitlist_entries.activity_day_id').andOn('planning_bookings.child_id', 'planning_waitlist_entries.child_id')
              })
              .where('planning_waitlist_entries.activity_day_id', day.id)
            if (both.length) return false
          }
          return true
        }
      ),
      { numRuns: 25 }
    )
    assert.isTrue(true)
  }).timeout(180_000)
})

test.group('Fixtures clean up after themselves', () => {
  test('no rows left by the committed tests', async ({ assert }) => {
    const leftovers = await Family.query().whereIn('id', db.from('children').where('first_name', 'like', 'Enfant%').select('family_id'))
    assert.lengthOf(leftovers, 0)
    assert.lengthOf(await Activity.query().whereIn('name', ['Rush', 'Duo', 'Hasard']), 0)
    assert.lengthOf(await db.from('planning_bookings').whereNotIn('activity_id', db.from('activities').select('id')), 0)
  })
})

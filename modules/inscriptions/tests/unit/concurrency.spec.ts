import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import registrationService from '#modules/inscriptions/services/registration_service'
import Registration from '#modules/inscriptions/models/registration'
import Activity from '#modules/inscriptions/models/activity'
import { Family } from '#modules/dossier/index'
import { User } from '#modules/accounts/index'
import { createActivity, createFamily, familyRequesting, requestRegistration } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'

/**
 * Real transactions (no global transaction): decisions fired in parallel must never pass the
 * cap, on SQLite (one connection) as on PostgreSQL (a pool of concurrent connections).
 */
test.group('inscriptions / concurrent decisions', (group) => {
  const families: number[] = []
  const users: number[] = []
  const activities: number[] = []
  // twenty transactions queue on one row: slower than a unit test, above all on a busy CI machine
  group.each.timeout(60_000)

  group.each.setup(() => {
    emitter.fake(['inscription:requested', 'inscription:validated', 'inscription:refused', 'inscription:cancelled', 'inscription:promoted'])
    mail.fake()
    return async () => {
      emitter.restore()
      mail.restore()
      await Registration.query().whereIn('activity_id', activities).delete()
      const rows = await Activity.query().whereIn('id', activities)
      const typeIds = rows.map((activity) => activity.activityTypeId)
      await Activity.query().whereIn('id', activities).delete()
      await db.from('activity_types').whereIn('id', typeIds).delete()
      await Family.query().whereIn('id', families).delete()
      await db.from('audit_logs').whereIn('actor_id', users).delete()
      await User.query().whereIn('id', users).delete()
      families.length = 0
      users.length = 0
      activities.length = 0
    }
  })

  async function requests(activity: Activity, count: number) {
    const created: Registration[] = []
    for (let index = 0; index < count; index++) {
      const { user, family, registration } = await familyRequesting(activity, { firstName: `Enfant${index}`, birthDate: '2018-05-10' })
      families.push(family.id)
      users.push(user.id)
      created.push(registration)
    }
    return created
  }

  test('20 validations in parallel fill 5 places and queue the other 15 with distinct ranks', async ({ assert }) => {
    const staff = await createUser('staff')
    users.push(staff.id)
    const activity = await createActivity({ places: 5 })
    activities.push(activity.id)
    const pending = await requests(activity, 20)
    const outcomes = await Promise.all(pending.map((registration) => registrationService.validate(registration.id, staff)))
    assert.equal(outcomes.filter((outcome) => outcome === 'validated').length, 5)
    await activity.refresh()
    assert.equal(activity.registeredCount, 5)
    const rows = await Registration.query().where('activity_id', activity.id)
    assert.equal(rows.filter((row) => row.state === 'validated').length, 5)
    const ranks = rows
      .filter((row) => row.state === 'waiting')
      .map((row) => row.waitingRank)
      .sort((a, b) => a! - b!)
    assert.deepEqual(
      ranks,
      Array.from({ length: 15 }, (_, index) => index + 1)
    )
  })

  test('cancellations in parallel hand the freed places to the first in line, never past the cap', async ({ assert }) => {
    const activity = await createActivity({
      places: 3,
      autoAccept: true,
      cancellationDeadlineDays: 0,
    })
    activities.push(activity.id)
    const created = await requests(activity, 8)
    assert.equal(created.filter((registration) => registration.state === 'validated').length, 3)
    const validated = created.filter((registration) => registration.state === 'validated')
    // the service cancels the three validated ones at once: the first three in line take their places
    const staff = await createUser('staff')
    users.push(staff.id)
    await Promise.all(
      validated.map((registration) =>
        registrationService.cancel(registration.id, {
          actor: staff,
          staff: true,
        })
      )
    )
    await activity.refresh()
    assert.equal(activity.registeredCount, 3)
    const rows = await Registration.query().where('activity_id', activity.id).orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.state),
      ['cancelled', 'cancelled', 'cancelled', 'validated', 'validated', 'validated', 'waiting', 'waiting']
    )
    assert.deepEqual(
      rows.slice(6).map((row) => row.waitingRank),
      [1, 2]
    )
  })

  test('the same request sent twice at once is saved once', async ({ assert }) => {
    const activity = await createActivity({ places: null })
    activities.push(activity.id)
    const { user, family, children } = await createFamily()
    families.push(family.id)
    users.push(user.id)
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => requestRegistration({ family, user }, children[0], activity)))
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    assert.equal(
      await Registration.query()
        .where('activity_id', activity.id)
        .whereNotNull('active_key')
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      1
    )
  })
})

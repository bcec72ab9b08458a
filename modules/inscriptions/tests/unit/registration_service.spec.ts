import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import registrationService from '#modules/inscriptions/services/registration_service'
import registrationQueryService from '#modules/inscriptions/services/registration_query_service'
import Registration from '#modules/inscriptions/models/registration'
import Activity from '#modules/inscriptions/models/activity'
import { INSCRIPTION_EVENTS, isoInDays, isolateInscriptionTests, stateOf } from '#modules/inscriptions/tests/helpers'
import { createActivity, createFamily, familyRequesting, requestRegistration } from '#modules/inscriptions/tests/factories'
import { DateTime } from 'luxon'
import { createUser } from '#tests/helpers/users'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'
import { queriesDuring } from '#tests/helpers/query_log'
import mailQueue from '#services/mail_queue'

async function agent() {
  const user = await createUser('staff')
  return { id: user.id, fullName: user.fullName }
}

function requestFor(activity: Activity, childName = 'Lya', startDate = activity.startsOn) {
  return familyRequesting(activity, { firstName: childName, birthDate: '2018-05-10', classLevel: 'CP' }, startDate < todayIso() ? todayIso() : startDate)
}

test.group('inscriptions / registration service', (group) => {
  isolateInscriptionTests(group)

  test('a request writes the history line and announces inscription:requested', async ({ assert }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const activity = await createActivity({ name: 'Vacances' })
    const { registration, family } = await requestFor(activity)
    assert.equal(registration.state, 'requested')
    const line = await db.from('family_history_entries').where('family_id', family.id).first()
    assert.equal(line.text, "Demande d'inscription à l'activité Vacances (Lya)")
    events.assertEmitted(
      'inscription:requested',
      ({ data }) => data.activityName === 'Vacances' && data.childFirstName === 'Lya' && data.familyId === family.id
    )
    events.assertNotEmitted('inscription:validated')
  })

  test('a second request for the same child and activity is refused, a new one after a refusal is not', async ({ assert }) => {
    const activity = await createActivity()
    const { registration, family, child, user } = await requestFor(activity)
    const again = requestRegistration({ family, user }, child, activity)
    await assert.rejects(() => again, /une seule inscription par activité/)
    await registrationService.refuse(registration.id, await agent(), 'Dossier incomplet')
    const second = await requestRegistration({ family, user }, child, activity)
    assert.equal(second.state, 'requested')
  })

  test('the database itself refuses two active registrations of a child for an activity', async ({ assert }) => {
    const activity = await createActivity()
    const { registration } = await requestFor(activity)
    await assert.rejects(() =>
      Registration.create({
        familyId: registration.familyId,
        childId: registration.childId,
        activityId: activity.id,
        state: 'waiting',
        activeKey: 1,
        startDate: todayIso(),
      })
    )
  })

  test('dates outside the period, a past activity, a closed window and a child not of age are refused', async ({ assert }) => {
    const activity = await createActivity({
      startsOn: isoInDays(5),
      endsOn: isoInDays(30),
    })
    const { family, children, user } = await createFamily([
      { firstName: 'Lya', birthDate: '2018-05-10' },
      { firstName: 'Bébé', birthDate: addDays(todayIso(), -400) },
    ])
    const ask = (childId: number, activityId: number, startDate: string) =>
      registrationService.request({
        familyId: family.id,
        childId,
        activityId,
        startDate,
        user,
      })
    await assert.rejects(() => ask(children[0].id, activity.id, isoInDays(2)), /Choisissez une date entre/)
    await assert.rejects(() => ask(children[0].id, activity.id, isoInDays(31)), /Choisissez une date entre/)
    const past = await createActivity({
      startsOn: isoInDays(-60),
      endsOn: isoInDays(-1),
    })
    await assert.rejects(() => ask(children[0].id, past.id, isoInDays(-5)), /terminée/)
    const closed = await createActivity({
      registrationClosesAt: DateTime.now().minus({ days: 1 }),
    })
    await assert.rejects(() => ask(children[0].id, closed.id, todayIso()), /closes/)
    const nursery = await createActivity({
      minAgeMonths: 36,
      maxAgeMonths: 71,
    })
    await assert.rejects(() => ask(children[1].id, nursery.id, todayIso()), /âge ou à la classe/)
    const other = await createFamily()
    await assert.rejects(() => ask(other.children[0].id, activity.id, isoInDays(6)), /votre dossier/)
    assert.equal(
      await Registration.query()
        .where('family_id', family.id)
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('an automatic activity validates at once while places remain, then fills the waiting list', async ({ assert }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const activity = await createActivity({ autoAccept: true, places: 1 })
    const first = await requestFor(activity, 'Lya')
    const second = await requestFor(activity, 'Mael')
    assert.equal(first.registration.state, 'validated')
    assert.isNull(first.registration.decidedBy)
    assert.equal(second.registration.state, 'waiting')
    assert.equal(second.registration.waitingRank, 1)
    events.assertEmittedCount('inscription:validated', 1)
    await activity.refresh()
    assert.equal(activity.registeredCount, 1)
  })

  test('staff validation takes places up to the cap, then the waiting list in arrival order; a cancellation promotes the first in line', async ({
    assert,
  }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const { messages } = mail.fake()
    const staff = await agent()
    const activity = await createActivity({ places: 2 })
    const requests: Awaited<ReturnType<typeof requestFor>>[] = []
    for (const name of ['Ana', 'Ben', 'Cyril', 'Dora']) requests.push(await requestFor(activity, name))
    const outcomes: string[] = []
    for (const request of requests) outcomes.push(await registrationService.validate(request.registration.id, staff))
    assert.deepEqual(outcomes, ['validated', 'validated', 'waiting', 'waiting'])
    const ranks = await Registration.query().where('activity_id', activity.id).where('state', 'waiting').orderBy('waiting_rank')
    assert.deepEqual(
      ranks.map((r) => [r.id, r.waitingRank]),
      [
        [requests[2].registration.id, 1],
        [requests[3].registration.id, 2],
      ]
    )
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(requests[2].user.email!) && m.toJSON().message.subject!.startsWith("Demande d'inscription en liste d'attente")),
      1
    )
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(requests[0].user.email!) && m.toJSON().message.subject!.startsWith('Inscription validée')),
      1
    )

    const plan = await registrationService.cancel(requests[0].registration.id, {
      actor: { id: requests[0].user.id, fullName: requests[0].user.fullName },
      staff: false,
      familyId: requests[0].family.id,
    })
    assert.equal(plan.kind, 'end')
    const promoted = await Registration.findOrFail(requests[2].registration.id)
    assert.equal(promoted.state, 'validated')
    assert.isNull(promoted.waitingRank)
    const still = await Registration.findOrFail(requests[3].registration.id)
    assert.equal(still.waitingRank, 1)
    await activity.refresh()
    assert.equal(activity.registeredCount, 2)
    events.assertEmitted('inscription:promoted', ({ data }) => data.registrationId === promoted.id && data.childFirstName === 'Cyril')
    events.assertEmitted('inscription:cancelled', ({ data }) => data.registrationId === requests[0].registration.id)
    await mailQueue.drain()
    assert.isAbove(
      messages.sent((m) => m.hasTo(requests[2].user.email!) && m.toJSON().message.subject!.includes("Une place s'est libérée")).length,
      0
    )
    const history = await db.from('family_history_entries').where('family_id', requests[2].family.id).orderBy('id')
    assert.include(history.map((h) => h.text).join('\n'), "une place s'est libérée")
  })

  test('a refusal needs a reason; refusing a validated registration frees its place for the first in line', async ({ assert }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const staff = await agent()
    const activity = await createActivity({ places: 1 })
    const a = await requestFor(activity, 'Ana')
    const b = await requestFor(activity, 'Ben')
    await registrationService.validate(a.registration.id, staff)
    await registrationService.validate(b.registration.id, staff)
    await assert.rejects(() => registrationService.refuse(a.registration.id, staff, '   '), /motif/)
    await registrationService.refuse(a.registration.id, staff, 'Justificatif manquant')
    const refused = await Registration.findOrFail(a.registration.id)
    assert.equal(refused.state, 'refused')
    assert.equal(refused.refusalReason, 'Justificatif manquant')
    assert.equal(refused.decidedBy, staff.id)
    assert.equal(await stateOf(b.registration.id), 'validated')
    events.assertEmitted('inscription:refused', ({ data }) => data.reason === 'Justificatif manquant')
    const line = await db.from('family_history_entries').where('family_id', a.family.id).where('kind', 'inscription-refused').first()
    assert.include(line.text, staff.fullName)
    await assert.rejects(() => registrationService.validate(a.registration.id, staff), /déjà refusée/)
  })

  test('staff reorder the waiting list with a logged reason', async ({ assert }) => {
    const staff = await agent()
    const activity = await createActivity({ places: 0 })
    const requests: Awaited<ReturnType<typeof requestFor>>[] = []
    for (const name of ['Ana', 'Ben', 'Cyril']) {
      const request = await requestFor(activity, name)
      await registrationService.validate(request.registration.id, staff)
      requests.push(request)
    }
    await assert.rejects(() => registrationService.reorderWaiting(requests[2].registration.id, 1, staff, ''), /motif/)
    await registrationService.reorderWaiting(requests[2].registration.id, 1, staff, 'Fratrie déjà inscrite')
    const list = await registrationService.waitingList(activity.id)
    assert.deepEqual(
      list.map((r) => r.child.firstName),
      ['Cyril', 'Ana', 'Ben']
    )
    assert.deepEqual(
      list.map((r) => r.waitingRank),
      [1, 2, 3]
    )
    const logs = await db
      .from('audit_logs')
      .where('action', 'inscriptions.waiting_list.reordered')
      .where('subject_id', String(requests[2].registration.id))
    assert.lengthOf(logs, 1)
    assert.include(logs[0].details, 'Fratrie déjà inscrite')
    assert.equal(logs[0].actor_name, staff.fullName)
    // raising the cap serves the list in its new order
    await Activity.query().where('id', activity.id).update({ places: 1 })
    assert.equal(await registrationService.fillFromWaitingList(activity.id, staff), 1)
    assert.equal(await stateOf(requests[2].registration.id), 'validated')
  })

  test('raising the cap gives the places to the first in line and moves the others up in one statement', async ({ assert }) => {
    const staff = await agent()
    const activity = await createActivity({ places: 0 })
    const names = Array.from({ length: 30 }, (_, index) => `Enfant${String(index).padStart(2, '0')}`)
    const ids: number[] = []
    for (const name of names) {
      const request = await requestFor(activity, name)
      await registrationService.validate(request.registration.id, staff)
      ids.push(request.registration.id)
    }
    await Activity.query().where('id', activity.id).update({ places: 12 })
    const statements = await queriesDuring(() => registrationService.fillFromWaitingList(activity.id, staff))
    // The statements that move the waiting list up (`waiting_rank` = `waiting_rank` - …): one, not one per place given.
    const rankUpdates = statements.filter((sql) => /waiting_rank["`]?\s*-\s*/i.test(sql))
    assert.lengthOf(rankUpdates, 1, rankUpdates.join('\n'))
    for (const id of ids.slice(0, 12)) assert.equal(await stateOf(id), 'validated')
    const list = await registrationService.waitingList(activity.id)
    assert.deepEqual(
      list.map((registration) => registration.id),
      ids.slice(12)
    )
    assert.deepEqual(
      list.map((registration) => registration.waitingRank),
      Array.from({ length: 18 }, (_, index) => index + 1)
    )
    const refreshed = await Activity.findOrFail(activity.id)
    assert.equal(refreshed.registeredCount, 12)
    assert.equal(await registrationService.fillFromWaitingList(activity.id, staff), 0, 'no place left: nobody else moves')
  })

  test('parents are held to the cancellation deadline, the service is not', async ({ assert }) => {
    const staff = await agent()
    const activity = await createActivity({
      startsOn: todayIso(),
      endsOn: isoInDays(3),
      cancellationDeadlineDays: 5,
    })
    const { registration, family, user } = await requestFor(activity)
    await registrationService.validate(registration.id, staff)
    const fresh = await Registration.findOrFail(registration.id)
    assert.deepEqual(registrationService.cancellationPlan(fresh, activity), {
      kind: 'too-late',
      deadlineDays: 5,
    })
    await assert.rejects(
      () =>
        registrationService.cancel(registration.id, {
          actor: { id: user.id, fullName: user.fullName },
          staff: false,
          familyId: family.id,
        }),
      /délai d'annulation en ligne est dépassé/
    )
    assert.equal(await stateOf(registration.id), 'validated')
    await registrationService.cancel(registration.id, {
      actor: staff,
      staff: true,
    })
    assert.equal(await stateOf(registration.id), 'cancelled')
  })

  test('the cancellation plan: full cancellation early enough, an end date while running, a request always withdrawn', async ({ assert }) => {
    const activity = new Activity()
    activity.merge({
      startsOn: '2026-09-01',
      endsOn: '2027-07-06',
      cancellationDeadlineDays: 2,
    })
    const registration = new Registration()
    registration.merge({
      state: 'validated',
      startDate: '2026-12-07',
      endDate: null,
    })
    assert.deepEqual(registrationService.cancellationPlan(registration, activity, '2026-12-05'), { kind: 'cancel' })
    assert.deepEqual(registrationService.cancellationPlan(registration, activity, '2026-12-06'), { kind: 'end', endDate: '2026-12-07' })
    assert.deepEqual(registrationService.cancellationPlan(registration, activity, '2027-07-05'), { kind: 'too-late', deadlineDays: 2 })
    registration.state = 'requested'
    assert.deepEqual(registrationService.cancellationPlan(registration, activity, '2027-07-05'), { kind: 'withdraw' })
  })

  test('the public query service answers by validated registrations, period and weekdays', async ({ assert }) => {
    const staff = await agent()
    const monday = (() => {
      let day = isoInDays(1)
      while (new Date(day + 'T12:00:00Z').getUTCDay() !== 1) day = addDays(day, 1)
      return day
    })()
    const activity = await createActivity({
      startsOn: todayIso(),
      endsOn: addDays(monday, 30),
      weekdays: [1, 2, 4, 5],
    })
    const { registration, family, child } = await requestFor(activity, 'Lya', monday)
    assert.isFalse(await registrationQueryService.isRegisteredOn(child.id, activity.id, monday))
    assert.lengthOf(await registrationQueryService.validatedRegistrationsForFamily(family.id), 0)
    await registrationService.validate(registration.id, staff)
    assert.isTrue(await registrationQueryService.isRegisteredOn(child.id, activity.id, monday))
    assert.isFalse(await registrationQueryService.isRegisteredOn(child.id, activity.id, addDays(monday, 2)), 'Wednesday is not a day of the activity')
    assert.isFalse(await registrationQueryService.isRegisteredOn(child.id, activity.id, addDays(monday, -7)), 'before the start date')
    assert.isFalse(await registrationQueryService.isRegisteredOn(child.id, activity.id, addDays(monday, 35)), 'after the activity')
    const list = await registrationQueryService.validatedRegistrationsForFamily(family.id)
    assert.deepEqual(
      list.map((r) => [r.child.firstName, r.activity.name]),
      [['Lya', activity.name]]
    )
  })
})

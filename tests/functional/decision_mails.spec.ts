import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import Conversation from '#modules/messaging/models/conversation'
import { createActivity, createFamily, createUser, requestRegistration, seedCatalog } from '#tests/helpers/factories'
import mailQueue from '#services/mail_queue'

/** A family whose two guardians both have an account, and its request on the activity. */
async function requestFromTwoGuardians(activityId: number, firstName: string) {
  const created = await createFamily({ guardians: [{ civility: 'Mme' }, { civility: 'M.', firstName: 'Paul' }], children: [{ firstName }] })
  const registration = await requestRegistration(created, created.child, { id: activityId })
  return { family: created.family, registration, guardians: created.users.map((user) => user.email!) }
}

type Outbox = ReturnType<typeof mail.fake>['messages']

/** Runs `decide` and returns, for each address, the subjects (without the commune) of the mails it got meanwhile. */
async function mailsDuring(messages: Outbox, addresses: string[], decide: () => Promise<unknown>) {
  await mailQueue.drain()
  const before = addresses.map((to) => messages.sent((m) => m.hasTo(to)).length)
  await decide()
  await mailQueue.drain()
  return addresses.map((to, index) => messages.sent((m) => m.hasTo(to)).slice(before[index]).map((m) => String(m.toJSON().message.subject).replace(/ — [^—]*$/, '')))
}

test.group('Décisions d’inscription — un courriel par décision et par responsable', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('messaging on: validation, waiting list, refusal, promotion and cancellation each mail each guardian once; the notice stays in the inbox', async ({
    client,
    assert,
  }) => {
    await seedCatalog()
    const { messages } = mail.fake()
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Vacances', places: 1 })
    const lya = await requestFromTwoGuardians(activity.id, 'Lya')
    const mael = await requestFromTwoGuardians(activity.id, 'Maël')
    const post = (path: string, form: Record<string, string> = {}) => client.post(path).form(form).withCsrfToken().loginAs(staff).redirects(0)

    const validated = await mailsDuring(messages, lya.guardians, () => post(`/gestion/inscriptions/${lya.registration.id}/valider`))
    for (const subjects of validated) assert.deepEqual(subjects, ['Inscription validée : Vacances (Lya)'], String(subjects))

    const waiting = await mailsDuring(messages, mael.guardians, () => post(`/gestion/inscriptions/${mael.registration.id}/valider`))
    for (const subjects of waiting) assert.lengthOf(subjects, 1, String(subjects))

    const both = [...lya.guardians, ...mael.guardians]
    const refused = await mailsDuring(messages, both, () => post(`/gestion/inscriptions/${lya.registration.id}/refuser`, { reason: 'Dossier incomplet' }))
    for (const subjects of refused.slice(0, 2)) assert.lengthOf(subjects, 1, String(subjects))
    for (const subjects of refused.slice(2)) assert.deepEqual(subjects, ["Une place s'est libérée : inscription validée : Vacances (Maël)"], String(subjects))

    const cancelled = await mailsDuring(messages, mael.guardians, () => post(`/gestion/inscriptions/${mael.registration.id}/annuler`))
    for (const subjects of cancelled) assert.lengthOf(subjects, 1, String(subjects))

    const notices = await Conversation.query().where('family_id', lya.family.id).where('kind', 'notice').orderBy('id')
    assert.deepEqual(
      notices.map((notice) => notice.origin),
      ['inscription:requested', 'inscription:validated', 'inscription:refused']
    )
  })

  test('messaging silent (nobody hears the events): the decision still mails each guardian once', async ({ client, assert }) => {
    emitter.fake(['inscription:requested', 'inscription:validated', 'inscription:refused', 'inscription:promoted', 'inscription:cancelled'])
    try {
      const { messages } = mail.fake()
      const staff = await createUser('staff')
      const activity = await createActivity({ name: 'Vacances' })
      const lya = await requestFromTwoGuardians(activity.id, 'Lya')
      const mails = await mailsDuring(messages, lya.guardians, () =>
        client.post(`/gestion/inscriptions/${lya.registration.id}/valider`).withCsrfToken().loginAs(staff).redirects(0)
      )
      for (const subjects of mails) assert.deepEqual(subjects, ['Inscription validée : Vacances (Lya)'], String(subjects))
    } finally {
      emitter.restore()
    }
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import communeSettings from '#services/commune_settings'
import Child from '#modules/dossier/models/child'
import Conversation from '#modules/messaging/models/conversation'
import Registration from '#modules/inscriptions/models/registration'
import registrationService from '#modules/inscriptions/services/registration_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { htmlText } from '#modules/inscriptions/tests/helpers'
import { createActivity, createFamily, createUser, requestRegistration, seedCatalog } from '#tests/helpers/factories'
import mailQueue from '#services/mail_queue'

async function refusalOf(work: Promise<unknown>) {
  try {
    await work
  } catch (error) {
    if (error instanceof InscriptionRefusal) return error.message
    throw error
  }
  return null
}

/** Names and numbers inserted into sentences, as every module writes them (#core/french). */
test.group('Typographie française des textes composés', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test("a decision about Inès reads \"d'Inès\" in the mail, the notice and the flash", async ({ client, assert }) => {
    await seedCatalog()
    const { messages } = mail.fake()
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Vacances' })
    const { user, family, children } = await createFamily({ children: [{ firstName: 'Inès' }] })
    const requested = await client
      .post('/inscriptions/demande')
      .form({ activityTypeId: activity.activityTypeId, childId: children[0].id, activityId: activity.id, startDate: todayIso() })
      .withCsrfToken()
      .loginAs(user)
      .redirects(0)
    assert.match(String((requested.flashMessages() as any).alert?.success), /^La demande d'inscription d'Inès à l'activité Vacances est enregistrée\./)
    const registration = await Registration.query().where('family_id', family.id).firstOrFail()
    await client.post(`/gestion/inscriptions/${registration.id}/valider`).withCsrfToken().loginAs(staff).redirects(0)

    await mailQueue.drain()
    const [sent] = messages.sent((m) => m.hasTo(user.email!) && String(m.toJSON().message.subject).startsWith('Inscription validée :'))
    const { html, text } = sent.toJSON().message
    assert.include(String(text), "L'inscription d'Inès à l'activité Vacances est validée")
    assert.include(htmlText(String(html)), "L'inscription d' Inès à l'activité Vacances")
    assert.notMatch(String(html) + String(text), /de Inès/)
    const notice = await Conversation.query().where('family_id', family.id).where('origin', 'inscription:validated').preload('messages').firstOrFail()
    assert.include(notice.messages[0].body, "L'inscription d'Inès à l'activité « Vacances » est validée.")
  })

  test('a second request agrees with the child: inscrite, inscrit, or a neutral wording', async ({ assert }) => {
    const activity = await createActivity({ name: 'Mercredis' })
    const created = await createFamily({ children: [{ firstName: 'Inès' }, { firstName: 'Émile' }, { firstName: 'Noa' }] })
    const { user, children } = created
    await Child.query().where('id', children[0].id).update({ sex: 'F' })
    await Child.query().where('id', children[1].id).update({ sex: 'M' })
    const sentences = []
    for (const child of children) {
      const registration = await requestRegistration(created, child, activity)
      await registrationService.validate(registration.id, { id: user.id, fullName: 'Agent' })
      sentences.push(await refusalOf(requestRegistration(created, child, activity)))
    }
    assert.deepEqual(sentences, [
      'Inès est déjà inscrite pour cette activité : une seule inscription par activité.',
      'Émile est déjà inscrit pour cette activité : une seule inscription par activité.',
      'Noa a déjà une inscription validée pour cette activité : une seule inscription par activité.',
    ])
  })

  test("the commune's name is elided on the legal pages: la commune d'Èze", async ({ client, assert }) => {
    await communeSettings.update({ name: 'Èze' })
    const page = htmlText((await client.get('/accessibilite')).text())
    assert.include(page, "La commune d'Èze")
    assert.notInclude(page, 'de Èze')
  })
})

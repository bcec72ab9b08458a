import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import audit from '#services/audit_service'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import { createAgent, createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import { isolateMessagingTests, PDF, PNG, statusOf, textOf } from '#modules/messaging/tests/fixtures'
import { createUser } from '#tests/helpers/users'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'
import mailQueue from '#services/mail_queue'

/** A parent writes through the form, with one attachment; returns the conversation and the attachment. */
async function write(client: ApiClient, parent: User, serviceId: number, topicId: number, body = 'Lya sera absente mercredi.') {
  const response = await client
    .post('/messagerie')
    .withCsrfToken()
    .loginAs(parent)
    .fields({ service_id: String(serviceId), topic_id: String(topicId), subject: 'Absence', body })
    .file('attachments[]', PDF, { filename: 'certificat.pdf' })
    .redirects(0)
  response.assertStatus(302)
  const id = Number(String(response.header('location')).split('/').pop())
  const conversation = await Conversation.findOrFail(id)
  const message = await Message.query().where('conversation_id', id).preload('attachments').firstOrFail()
  return { conversation, attachment: message.attachments[0] }
}

test.group('Messagerie — conversations, réponses et accès', (group) => {
  isolateMessagingTests(group)

  test('the family downloads its attachment; another family gets 404 for the conversation, the reply and the file', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const mine = await createFamily('Guerucci')
    const other = await createFamily('Martin')
    const { conversation, attachment } = await write(client, mine.parent, enfance.id, enfance.topicIds['Autres demandes'])

    const download = await client.get(`/messagerie/pieces-jointes/${attachment.id}`).loginAs(mine.parent)
    download.assertStatus(200)
    assert.include(download.header('content-disposition'), 'attachment; filename="certificat.pdf"')
    assert.equal(download.header('content-type'), 'application/pdf')

    assert.equal(await statusOf(client.get(`/messagerie/${conversation.id}`).loginAs(other.parent)), 404)
    assert.equal(await statusOf(client.get(`/messagerie/pieces-jointes/${attachment.id}`).loginAs(other.parent)), 404)
    const reply = await client
      .post(`/messagerie/${conversation.id}/repondre`)
      .withCsrfToken()
      .loginAs(other.parent)
      .fields({ body: 'Intrusion' })
    reply.assertStatus(404)
    assert.lengthOf(await Message.query().where('conversation_id', conversation.id), 1)

    const received = await client.get('/messagerie/envoyes').loginAs(other.parent)
    assert.notInclude(received.text(), 'Absence')
  })

  test('agents see only their services; a parent gets 403 in /gestion; an agent of another service gets 404', async ({ client, assert }) => {
    const { enfance, canteen } = await seedCatalog()
    const { parent } = await createFamily()
    const { conversation, attachment } = await write(client, parent, enfance.id, enfance.topicIds['Autres demandes'])
    const outsider = await createAgent(canteen.id)
    const admin = await createUser('admin')
    const member = await createAgent(enfance.id)

    assert.equal(await statusOf(client.get('/gestion/messagerie').loginAs(parent)), 403)
    assert.equal(await statusOf(client.get(`/gestion/messagerie/${conversation.id}`).loginAs(outsider)), 404)
    assert.equal(await statusOf(client.get(`/gestion/messagerie/pieces-jointes/${attachment.id}`).loginAs(outsider)), 404)
    const list = await client.get('/gestion/messagerie').loginAs(outsider)
    assert.notInclude(list.text(), `/gestion/messagerie/${conversation.id}"`)

    const memberList = await client.get('/gestion/messagerie').loginAs(member)
    assert.include(memberList.text(), `/gestion/messagerie/${conversation.id}"`)
    assert.include(memberList.text(), '1 non lu')
    assert.equal(await statusOf(client.get(`/gestion/messagerie/pieces-jointes/${attachment.id}`).loginAs(member)), 200)
    assert.equal(await statusOf(client.get(`/gestion/messagerie/${conversation.id}`).loginAs(admin)), 200)
  })

  test('an agent answers with an attachment; the parent reads it, the tile counts it, the file downloads', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const agent = await createAgent(enfance.id)
    const { conversation } = await write(client, parent, enfance.id, enfance.topicIds['Remise de justificatif (absence,...)'])

    const page = await client.get(`/gestion/messagerie/${conversation.id}`).loginAs(agent)
    page.assertStatus(200)
    assert.include(page.text(), 'Lya sera absente mercredi.')
    assert.include(page.text(), `href="/gestion/familles/${family.id}"`)
    const question = await Message.query().where('conversation_id', conversation.id).firstOrFail()
    assert.isNotNull(question.readAt, 'read by the service')

    const { messages } = mail.fake()
    const answer = await client
      .post(`/gestion/messagerie/${conversation.id}/repondre`)
      .withCsrfToken()
      .loginAs(agent)
      .fields({ body: 'Bien reçu, merci. Le justificatif est accepté.', mark_done: 'on' })
      .file('attachments[]', PNG, { filename: 'accuse.png' })
      .redirects(0)
    answer.assertStatus(302)
    await conversation.refresh()
    assert.equal(conversation.status, 'done')
    assert.equal(conversation.assignedTo, agent.id)
    await mailQueue.drain()
    messages.assertSent({ to: parent.email!, subject: 'Réponse du Service Enfance à votre message — Colomars' })
    assert.notInclude(messages.sent()[0].toJSON().message.text as string, 'justificatif est accepté', 'the answer itself stays in the portal')
    assert.lengthOf(await audit.forSubject('messaging_conversation', conversation.id), 1)

    const home = await client.get('/accueil').loginAs(parent)
    assert.include(home.text(), '1 message non lu')
    const inbox = await client.get('/messagerie').loginAs(parent)
    assert.include(inbox.text(), 'Non lu')
    assert.include(inbox.text(), 'Message(s) reçu(s) (1 non lu)')

    const thread = await client.get(`/messagerie/${conversation.id}`).loginAs(parent)
    assert.include(thread.text(), 'Bien reçu, merci. Le justificatif est accepté.')
    assert.include(thread.text(), 'accuse.png')
    const staffMessage = await Message.query().where('conversation_id', conversation.id).where('author_side', 'staff').preload('attachments').firstOrFail()
    assert.isNotNull(staffMessage.readAt)
    const file = await client.get(`/messagerie/pieces-jointes/${staffMessage.attachments[0].id}`).loginAs(parent)
    file.assertStatus(200)
    assert.equal(file.header('content-type'), 'image/png')
    assert.include(await textOf(client.get('/accueil').loginAs(parent)), 'Aucun nouveau message')
  })

  test('the parent answers in the thread: the treated conversation opens again and the history gets a line', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent } = await createFamily()
    const { conversation } = await write(client, parent, enfance.id, enfance.topicIds['Autres demandes'])
    conversation.status = 'done'
    await conversation.save()
    const refused = await client.post(`/messagerie/${conversation.id}/repondre`).withCsrfToken().loginAs(parent).fields({ body: '' }).redirects(0)
    refused.assertHeader('location', `/messagerie/${conversation.id}#repondre`)
    refused.assertValidationError('body', 'Écrivez votre message.')

    const response = await client
      .post(`/messagerie/${conversation.id}/repondre`)
      .withCsrfToken()
      .loginAs(parent)
      .fields({ body: 'Une précision encore.' })
      .redirects(0)
    response.assertStatus(302)
    await conversation.refresh()
    assert.equal(conversation.status, 'open')
    const { HistoryEntry } = await import('#modules/dossier/index')
    assert.lengthOf(await HistoryEntry.query().where('family_id', conversation.familyId).where('module', 'messaging'), 2)
  })

  test('assign to an agent of the service only; mark done and reopen', async ({ client, assert }) => {
    const { enfance, canteen } = await seedCatalog()
    const { parent } = await createFamily()
    const agent = await createAgent(enfance.id)
    const colleague = await createAgent(enfance.id)
    const stranger = await createAgent(canteen.id)
    const { conversation } = await write(client, parent, enfance.id, enfance.topicIds['Autres demandes'])

    const refused = await client.post(`/gestion/messagerie/${conversation.id}/attribuer`).withCsrfToken().loginAs(agent).form({ assigned_to: String(stranger.id) }).redirects(0)
    refused.assertValidationError('assigned_to', 'Cet agent ne fait pas partie du service.')
    await client.post(`/gestion/messagerie/${conversation.id}/attribuer`).withCsrfToken().loginAs(agent).form({ assigned_to: String(colleague.id) }).redirects(0)
    await conversation.refresh()
    assert.equal(conversation.assignedTo, colleague.id)

    const mine = await client.get('/gestion/messagerie').qs({ moi: '1' }).loginAs(colleague)
    assert.include(mine.text(), `/gestion/messagerie/${conversation.id}"`)

    await client.post(`/gestion/messagerie/${conversation.id}/traiter`).withCsrfToken().loginAs(agent).redirects(0)
    await conversation.refresh()
    assert.equal(conversation.status, 'done')
    const open = await client.get('/gestion/messagerie').loginAs(agent)
    assert.notInclude(open.text(), `/gestion/messagerie/${conversation.id}"`, 'the default list shows what is left to do')
    const done = await client.get('/gestion/messagerie').qs({ statut: 'done' }).loginAs(agent)
    assert.include(done.text(), `/gestion/messagerie/${conversation.id}"`)
    await client.post(`/gestion/messagerie/${conversation.id}/rouvrir`).withCsrfToken().loginAs(agent).redirects(0)
    await conversation.refresh()
    assert.equal(conversation.status, 'open')
  })

  test('the staff inbox filters by unread, topic, family and date', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const agent = await createAgent(enfance.id)
    const guerucci = await createFamily('Guérucci')
    const martin = await createFamily('Martin')
    const first = await write(client, guerucci.parent, enfance.id, enfance.topicIds['Facturation'])
    const second = await write(client, martin.parent, enfance.id, enfance.topicIds['Autres demandes'])
    await client.get(`/gestion/messagerie/${second.conversation.id}`).loginAs(agent)

    const link = (id: number) => `/gestion/messagerie/${id}"`
    const unread = await textOf(client.get('/gestion/messagerie').qs({ non_lus: '1' }).loginAs(agent))
    assert.include(unread, link(first.conversation.id))
    assert.notInclude(unread, link(second.conversation.id))

    const topic = await textOf(client.get('/gestion/messagerie').qs({ theme: enfance.topicIds['Autres demandes'] }).loginAs(agent))
    assert.include(topic, link(second.conversation.id))
    assert.notInclude(topic, link(first.conversation.id))

    for (const famille of ['guer', 'GUÉRUCCI', 'gueRucci']) {
      const family = await textOf(client.get('/gestion/messagerie').qs({ famille }).loginAs(agent))
      assert.include(family, link(first.conversation.id), famille)
      assert.notInclude(family, link(second.conversation.id), famille)
    }

    const past = await textOf(client.get('/gestion/messagerie').qs({ au: '2020-01-01' }).loginAs(agent))
    assert.notInclude(past, link(first.conversation.id))
    const today = new Date().toISOString().slice(0, 10)
    const current = await textOf(client.get('/gestion/messagerie').qs({ du: today, statut: 'all' }).loginAs(agent))
    assert.include(current, link(first.conversation.id))
  })

  test('mail preferences: a parent turns off the notices by email, an agent the new-message mails', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent } = await createFamily()
    const agent = await createAgent(enfance.id)
    const page = await client.get('/messagerie/preferences').loginAs(parent)
    assert.match(page.text(), /id="field-email_notices"[^>]*checked/)
    await client.post('/messagerie/preferences').withCsrfToken().loginAs(parent).fields({}).redirects(0)
    assert.notMatch(await textOf(client.get('/messagerie/preferences').loginAs(parent)), /id="field-email_notices"[^>]*checked/)
    assert.include(await textOf(client.get('/messagerie').loginAs(parent)), 'href="/messagerie/preferences"')

    await client.post('/gestion/messagerie/preferences').withCsrfToken().loginAs(agent).fields({}).redirects(0)
    const { messages } = mail.fake()
    await write(client, parent, enfance.id, enfance.topicIds['Autres demandes'])
    await mailQueue.drain()
    messages.assertNotSent({ to: agent.email! })
  })

  test('services and topics: an administrator adds, renames and reorders; an agent may not', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const admin = await createUser('admin')
    const agent = await createAgent(enfance.id)
    assert.equal(await statusOf(client.get('/gestion/messagerie/services').loginAs(agent)), 403)

    const page = await client.get('/gestion/messagerie/services').loginAs(admin)
    page.assertStatus(200)
    assert.include(page.text(), 'Remise de justificatif (absence,...)')

    await client.post('/gestion/messagerie/services').withCsrfToken().loginAs(admin).form({ new_service: 'Jeunesse' }).redirects(0)
    const { default: Service } = await import('#modules/messaging/models/service')
    const jeunesse = await Service.findByOrFail('name', 'Jeunesse')
    assert.equal(jeunesse.position, 2)
    const duplicate = await client.post('/gestion/messagerie/services').withCsrfToken().loginAs(admin).form({ new_service: 'Jeunesse' }).redirects(0)
    duplicate.assertValidationError('new_service', 'Ce nom est déjà utilisé.')

    await client.post(`/gestion/messagerie/services/${jeunesse.id}`).withCsrfToken().loginAs(admin).form({ [`service_${jeunesse.id}`]: 'Service Jeunesse' }).redirects(0)
    await client.post(`/gestion/messagerie/services/${jeunesse.id}/deplacer`).withCsrfToken().loginAs(admin).form({ direction: 'up' }).redirects(0)
    await client.post(`/gestion/messagerie/services/${jeunesse.id}/themes`).withCsrfToken().loginAs(admin).form({ [`new_topic_${jeunesse.id}`]: 'Séjours' }).redirects(0)
    const services = await Service.query().preload('topics').orderBy('position')
    assert.deepEqual(services.map((service) => service.name), ['Service Enfance', 'Service Jeunesse', 'Restauration scolaire'])
    assert.deepEqual(services[1].topics.map((topic) => topic.name), ['Séjours'])

    const factu = enfance.topicIds['Facturation']
    await client.post(`/gestion/messagerie/services/themes/${factu}/deplacer`).withCsrfToken().loginAs(admin).form({ direction: 'up' }).redirects(0)
    await client.post(`/gestion/messagerie/services/themes/${factu}`).withCsrfToken().loginAs(admin).form({ [`topic_${factu}`]: 'Facturation et paiements' }).redirects(0)
    const { default: ServiceTopic } = await import('#modules/messaging/models/service_topic')
    const topics = await ServiceTopic.query().where('service_id', enfance.id).orderBy('position')
    assert.deepEqual(topics.map((topic) => topic.name).slice(3), ['Facturation et paiements', 'Autres demandes'])
    assert.lengthOf(await audit.forSubject('service_topic', factu), 2)
  })
})

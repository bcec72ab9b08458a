import { readdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { MAX_UPLOAD_BYTES } from '#services/upload_service'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import Attachment from '#modules/messaging/models/attachment'
import { HistoryEntry } from '#modules/dossier/index'
import { createAgent, createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'
import { EXE, isolateMessagingTests, PDF, PNG, textOf } from '#modules/messaging/tests/fixtures'
import mailQueue from '#services/mail_queue'

const storageRoot = () => app.makePath(env.get('STORAGE_PATH') ?? 'storage')

async function storedFiles(familyId: number): Promise<string[]> {
  const folder = `${storageRoot()}/messaging/${familyId}`
  return existsSync(folder) ? readdir(folder) : []
}

/** The "NOUS ENVOYER UN MESSAGE" form sent by an account. */
function compose(client: ApiClient, user: User, fields: Record<string, string>) {
  return client.post('/messagerie').withCsrfToken().loginAs(user).fields(fields)
}

test.group('Messagerie — nous envoyer un message', (group) => {
  isolateMessagingTests(group)
  group.each.setup(() => rm(`${storageRoot()}/messaging`, { recursive: true, force: true }))

  test('the form offers the services, their topics grouped by service, the guide help and ENVOYER', async ({ client, assert }) => {
    const { enfance, canteen } = await seedCatalog()
    const { parent } = await createFamily()
    const response = await client.get('/messagerie/nouveau').loginAs(parent)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '<title>Nous envoyer un message — Colomars</title>')
    assert.include(html, `<option value="${enfance.id}">Service Enfance</option>`)
    assert.include(html, `<optgroup label="Service Enfance" data-service="${enfance.id}">`)
    assert.include(html, `<optgroup label="Restauration scolaire" data-service="${canteen.id}">`)
    assert.include(html, 'Remise de justificatif (absence,...)')
    assert.include(html, 'Comment envoyer un message par le portail famille ?')
    assert.include(html, "joindre jusqu'à 5 pièces et 40 Mo maximum pour chacune")
    assert.include(html, 'Confirmation par email')
    assert.include(html, 'name="attachments[]"')
    assert.include(html, '>ENVOYER</button>')
    assert.include(html, 'Message(s) reçu(s)')
    assert.include(html, 'Message(s) envoyé(s)')
  })

  test('?service=&theme= preselect the service and the "hors délai" topic for other modules', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent } = await createFamily()
    const topicId = enfance.topicIds['Demande de réservation ou annulation (hors capacité ou hors délai)']
    const response = await client
      .get('/messagerie/nouveau')
      .qs({ service: 'Service Enfance', theme: 'hors délai', objet: 'Mercredi 12 juin' })
      .loginAs(parent)
    const html = response.text()
    assert.include(html, `<option value="${enfance.id}" selected>Service Enfance</option>`)
    assert.include(html, `<option value="${topicId}" selected>`)
    assert.include(html, 'value="Mercredi 12 juin"')

    const byIds = await client.get('/messagerie/nouveau').qs({ service: enfance.id, theme: topicId }).loginAs(parent)
    assert.include(byIds.text(), `<option value="${topicId}" selected>`)
  })

  test('required fields are refused in French and the form comes back with the input kept', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const refused = await compose(client, parent, { service_id: '', topic_id: '', subject: 'Absence de Lya', body: '' }).redirects(0)
    refused.assertStatus(302)
    refused.assertHeader('location', '/messagerie/nouveau')
    refused.assertValidationError('service_id', 'Choisissez le service à qui écrire.')
    refused.assertValidationError('topic_id', 'Choisissez le thème de votre message.')
    refused.assertValidationError('body', 'Écrivez votre message.')
    assert.equal(await Conversation.query().where('family_id', family.id).count('* as total').first().then((row) => Number(row!.$extras.total)), 0)

    const form = await client.get('/messagerie/nouveau').loginAs(parent).withFlashMessages(refused.flashMessages())
    const html = form.text()
    assert.include(html, 'Le formulaire contient 3 erreurs')
    assert.include(html, 'Choisissez le service à qui écrire.')
    assert.include(html, 'Choisissez le thème de votre message.')
    assert.include(html, 'Écrivez votre message.')
    assert.include(html, 'value="Absence de Lya"')
    assert.match(html, /id="field-body"[^>]*aria-invalid="true"/)

    // service and topic kept too when only the message is missing
    const topicId = enfance.topicIds['Remise de justificatif (absence,...)']
    const second = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(topicId), subject: 'Certificat', body: '' }).redirects(0)
    second.assertValidationError('body', 'Écrivez votre message.')
    const again = await textOf(client.get('/messagerie/nouveau').loginAs(parent).withFlashMessages(second.flashMessages()))
    assert.include(again, `<option value="${enfance.id}" selected>Service Enfance</option>`)
    assert.include(again, `<option value="${topicId}" selected>Remise de justificatif (absence,...)</option>`)
    assert.include(again, 'value="Certificat"')
  })

  test('a topic of another service is refused beside the topic field', async ({ client }) => {
    const { enfance, canteen } = await seedCatalog()
    const { parent } = await createFamily()
    const response = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(canteen.topicIds['Menus et régimes']), body: 'Bonjour, une question.' }).redirects(0)
    response.assertValidationError('topic_id', "Ce thème n'appartient pas au Service Enfance : choisissez un thème de ce service.")
  })

  test('a sixth attachment is refused, nothing is sent and the form is kept', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const topicId = enfance.topicIds['Remise de justificatif (absence,...)']
    let request = compose(client, parent, { service_id: String(enfance.id), topic_id: String(topicId), subject: 'Justificatifs', body: 'Voici les six pièces.' }).redirects(0)
    for (let index = 1; index <= 6; index++) request = request.file('attachments[]', PDF, { filename: `piece-${index}.pdf` })
    const response = await request
    response.assertStatus(302)
    response.assertValidationError('attachments', 'Vous pouvez joindre 5 fichiers au plus (vous en avez choisi 6).')
    assert.lengthOf(await Conversation.query().where('family_id', family.id), 0)
    assert.deepEqual(await storedFiles(family.id), [])

    const html = await textOf(client.get('/messagerie/nouveau').loginAs(parent).withFlashMessages(response.flashMessages()))
    assert.match(html, /<p class="field__error" id="field-attachments-error"><span class="visually-hidden">Erreur : <\/span>Vous pouvez joindre 5 fichiers au plus/)
    assert.include(html, `<option value="${topicId}" selected>`)
    assert.include(html, 'value="Justificatifs"')
    assert.include(html, 'Voici les six pièces.</textarea>')
  })

  test('a file of 40 MB + 1 byte is refused with the form kept; five files are accepted', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const topicId = enfance.topicIds['Autres demandes']
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x20)
    PDF.copy(big)
    const refused = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(topicId), subject: 'Gros fichier', body: 'Un très gros scan.' })
      .file('attachments[]', big, { filename: 'scan.pdf' })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertValidationError('attachments', 'Le fichier « scan.pdf » dépasse 40 Mo.')
    assert.equal(refused.flashMessages().body, 'Un très gros scan.')
    assert.equal(refused.flashMessages().subject, 'Gros fichier')
    assert.lengthOf(await Conversation.query().where('family_id', family.id), 0)

    let accepted = compose(client, parent, { service_id: String(enfance.id), topic_id: String(topicId), body: 'Cinq pièces.' }).redirects(0)
    for (let index = 1; index <= 5; index++) accepted = accepted.file('attachments[]', index % 2 ? PDF : PNG, { filename: `piece-${index}.${index % 2 ? 'pdf' : 'png'}` })
    const response = await accepted
    response.assertStatus(302)
    const conversation = await Conversation.query().where('family_id', family.id).firstOrFail()
    const message = await Message.query().where('conversation_id', conversation.id).preload('attachments').firstOrFail()
    assert.lengthOf(message.attachments, 5)
    assert.lengthOf(await storedFiles(family.id), 5)
  })

  test('an executable renamed .pdf is refused by its content and nothing is stored', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const response = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(enfance.topicIds['Autres demandes']), body: 'Voici le document.' })
      .file('attachments[]', PDF, { filename: 'bon.pdf' })
      .file('attachments[]', EXE, { filename: 'facture.pdf' })
      .redirects(0)
    response.assertStatus(302)
    const errors = (response.flashMessages().inputErrorsBag as Record<string, string[]>).attachments
    assert.match(errors[0], /^Le fichier « facture\.pdf » n'est pas d'un type accepté/)
    assert.equal(response.flashMessages().body, 'Voici le document.')
    assert.lengthOf(await Conversation.query().where('family_id', family.id), 0)
    assert.lengthOf(await Attachment.all(), 0)
    assert.deepEqual(await storedFiles(family.id), [], 'the good file stored first was removed')
  })

  test('a message is sent: thread, stored attachment, history line, agents told; no acknowledgement unless asked', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent, family } = await createFamily()
    const agent = await createAgent(enfance.id)
    const { messages } = mail.fake()
    const response = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(enfance.topicIds['Remise de justificatif (absence,...)']), subject: 'Absence de Lya', body: 'Lya était malade le 3 juin.\nCertificat joint.' })
      .file('attachments[]', PDF, { filename: 'certificat médical.pdf' })
      .redirects(0)
    response.assertStatus(302)
    const conversation = await Conversation.query().where('family_id', family.id).firstOrFail()
    response.assertHeader('location', `/messagerie/${conversation.id}`)
    assert.equal(conversation.subject, 'Absence de Lya')
    assert.equal(conversation.topicName, 'Remise de justificatif (absence,...)')
    const message = await Message.query().where('conversation_id', conversation.id).preload('attachments').firstOrFail()
    assert.equal(message.authorSide, 'family')
    assert.equal(message.body, 'Lya était malade le 3 juin.\nCertificat joint.')
    assert.equal(message.attachments[0].name, 'certificat médical.pdf')
    assert.equal(message.attachments[0].mime, 'application/pdf')
    assert.lengthOf(await storedFiles(family.id), 1)

    const history = await HistoryEntry.query().where('family_id', family.id).firstOrFail()
    assert.equal(history.text, 'Message envoyé au service : Service Enfance, concernant le thème : Remise de justificatif (absence,...)')
    assert.equal(history.module, 'messaging')

    await mailQueue.drain()
    messages.assertSent({ to: agent.email!, subject: 'Nouveau message : Remise de justificatif (absence,...) — Colomars' })
    messages.assertNotSent({ to: parent.email! })
    assert.lengthOf(messages.sent(), 1)

    const page = await client.get(`/messagerie/${conversation.id}`).loginAs(parent)
    page.assertStatus(200)
    assert.include(page.text(), 'Lya était malade le 3 juin.')
    assert.include(page.text(), 'certificat médical.pdf')
  })

  test('"Confirmation par email" sends the acknowledgement to the parent, only when ticked', async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { parent } = await createFamily()
    const { messages } = mail.fake()
    const response = await compose(client, parent, { service_id: String(enfance.id), topic_id: String(enfance.topicIds['Autres demandes']), subject: 'Question', body: 'Bonjour, une question.', acknowledgement: 'on' }).redirects(0)
    response.assertStatus(302)
    await mailQueue.drain()
    messages.assertSent({ to: parent.email!, subject: 'Accusé de réception de votre message — Colomars' })
    const sent = messages.sent((message) => message.hasTo(parent.email!))
    assert.lengthOf(sent, 1)
    assert.include(sent[0].toJSON().message.text as string, 'Nous avons bien reçu votre message')
    assert.include(sent[0].toJSON().message.text as string, 'Objet : Question')

    messages.clear()
    await compose(client, parent, { service_id: String(enfance.id), topic_id: String(enfance.topicIds['Autres demandes']), body: 'Sans accusé.' }).redirects(0)
    await mailQueue.drain()
    messages.assertNotSent({ to: parent.email! })
    const counted = await db.from('messaging_conversations').count('* as total').first()
    assert.equal(Number(counted.total), 2)
  })

  test('an account without a family cannot send; a visitor is sent to the login page', async ({ client }) => {
    const { enfance } = await seedCatalog()
    const { createUser } = await import('#tests/helpers/users')
    const lonely = await createUser('parent')
    const refused = await compose(client, lonely, { service_id: String(enfance.id), topic_id: String(enfance.topicIds['Autres demandes']), body: 'Bonjour.' })
    refused.assertStatus(403)
    const visitor = await client.get('/messagerie/nouveau').redirects(0)
    visitor.assertStatus(302)
    visitor.assertHeader('location', '/connexion')
  })
})

import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import type { Emitter } from '@adonisjs/core/events'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import preferenceService from '#modules/messaging/services/preference_service'
import db from '@adonisjs/lucid/services/db'
import mailer from '#services/mailer'
import mailQueue from '#services/mail_queue'
import type { HeardEvents } from '#modules/messaging/events'
import { createAgent, createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import { isolateMessagingTests, textOf } from '#modules/messaging/tests/fixtures'

/** The events of inscriptions, planning, billing and dossier, by name only, as messaging hears them. */
const bus = emitter as unknown as Emitter<HeardEvents>

function registration(familyId: number, childId: number, reason?: string) {
  return { registrationId: 987654, familyId, childId, activityId: 123456, childFirstName: 'Lya', activityName: 'Vacances', reason }
}

async function noticesOf(familyId: number) {
  return Conversation.query().where('family_id', familyId).where('kind', 'notice').preload('messages').orderBy('id')
}

test.group('Messagerie — avis des autres modules', (group) => {
  isolateMessagingTests(group)

  test('each inscription event puts a notice from the service in the inbox and mails the parent', async ({ client, assert }) => {
    await seedCatalog()
    const { family, parent, child } = await createFamily()
    const { messages } = mail.fake()
    await bus.emit('inscription:requested', registration(family.id, child.id))
    await bus.emit('inscription:validated', registration(family.id, child.id))
    await bus.emit('inscription:refused', registration(family.id, child.id, 'Plus de place ce jour-là.'))
    await bus.emit('inscription:cancelled', registration(family.id, child.id))
    await bus.emit('inscription:promoted', registration(family.id, child.id))

    const notices = await noticesOf(family.id)
    assert.deepEqual(
      notices.map((notice) => notice.origin),
      ['inscription:requested', 'inscription:validated', 'inscription:refused', 'inscription:cancelled', 'inscription:promoted']
    )
    assert.equal(notices[1].subject, 'Inscription validée (Lya)')
    assert.equal(notices[1].messages[0].authorSide, 'system')
    assert.include(notices[1].messages[0].body, "L'inscription de Lya à l'activité « Vacances » est validée.")
    assert.include(notices[2].messages[0].body, 'Motif : Plus de place ce jour-là.')
    await mailQueue.drain()
    assert.lengthOf(messages.sent((message) => message.hasTo(parent.email!)), 5)
    messages.assertSent({ to: parent.email!, subject: 'Inscription validée (Lya) — Colomars' })

    const inbox = await client.get('/messagerie').loginAs(parent)
    assert.include(inbox.text(), 'Inscription refusée (Lya)')
    assert.include(inbox.text(), 'Message(s) reçu(s) (5 non lus)')
    assert.include(await textOf(client.get('/accueil').loginAs(parent)), '5 messages non lus')
  })

  test('billing and planning events arrive, filed under "Facturation" for invoices, amounts in euros', async ({ assert }) => {
    const { enfance } = await seedCatalog()
    const { family } = await createFamily()
    await bus.emit('billing:invoices-issued', { invoices: [{ familyId: family.id, invoiceNumber: 'F2026-000042', totalCents: 12850, dueDate: '2026-07-15' }] })
    await bus.emit('billing:payment-received', { familyId: family.id, invoiceNumber: 'F2026-000042', amountCents: 12850 })
    await bus.emit('planning:promoted', { familyId: family.id, childFirstName: 'Lya', activityName: 'Mercredis', date: '2026-06-10' })

    const [invoice, payment, promoted] = await noticesOf(family.id)
    assert.equal(invoice.subject, 'Nouvelle facture n° F2026-000042')
    assert.equal(invoice.topicId, enfance.topicIds['Facturation'])
    assert.include(invoice.messages[0].body, '128,50\u00a0€')
    assert.include(invoice.messages[0].body, 'avant le 15 juillet 2026')
    assert.include(payment.messages[0].body, 'Nous avons bien reçu votre paiement de 128,50\u00a0€')
    assert.equal(promoted.subject, 'Réservation confirmée le 10 juin 2026 (Lya)')
  })

  test('a family that refused mails still gets the notice in its inbox, without mail', async ({ assert }) => {
    await seedCatalog()
    const { family, parent, child } = await createFamily()
    await preferenceService.update(parent.id, { emailNotices: false })
    const { messages } = mail.fake()
    await bus.emit('inscription:validated', registration(family.id, child.id))
    assert.lengthOf(await noticesOf(family.id), 1)
    await mailQueue.drain()
    messages.assertNoneSent()
  })

  test("dossier's change request becomes a conversation the service answers, and the agents are told", async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { family, parent, child } = await createFamily()
    const agent = await createAgent(enfance.id)
    const { messages } = mail.fake()
    await bus.emit('dossier:change-requested', {
      familyId: family.id,
      userId: parent.id,
      topic: "Demande de modification d'éléments dans mon dossier",
      message: 'La date de naissance de Lya est le 04/03/2017.',
      subject: 'child',
      childId: child.id,
      historyEntryId: 1,
    })
    const conversation = await Conversation.query().where('family_id', family.id).firstOrFail()
    assert.equal(conversation.kind, 'message')
    assert.equal(conversation.topicId, enfance.topicIds["Demande de modification d'éléments dans mon dossier"])
    assert.equal(conversation.subject, 'Modification de la fiche de Lya')
    const message = await Message.query().where('conversation_id', conversation.id).firstOrFail()
    assert.equal(message.authorSide, 'family')
    assert.equal(message.authorId, parent.id)
    await mailQueue.drain()
    messages.assertSent({ to: agent.email! })
    const list = await client.get('/gestion/messagerie').loginAs(agent)
    assert.include(list.text(), `/gestion/messagerie/${conversation.id}"`)
  })

  test("a request made on dossier's own form reaches the service's inbox, and its link preselects the topic", async ({ client, assert }) => {
    const { enfance } = await seedCatalog()
    const { family, parent } = await createFamily()
    const agent = await createAgent(enfance.id)
    const response = await client
      .post('/dossier/demande')
      .withCsrfToken()
      .loginAs(parent)
      .form({ subject: 'quotient', message: 'Notre quotient familial CAF est désormais de 812.' })
      .redirects(0)
    response.assertStatus(302)
    const conversation = await Conversation.query().where('family_id', family.id).firstOrFail()
    assert.equal(conversation.subject, 'Modification du quotient familial')
    assert.equal(conversation.topicName, "Demande de modification d'éléments dans mon dossier")
    const list = await textOf(client.get('/gestion/messagerie').loginAs(agent))
    assert.include(list, `/gestion/messagerie/${conversation.id}"`)

    const topicId = enfance.topicIds["Demande de modification d'éléments dans mon dossier"]
    // The history page it lands on shows the card messaging puts in 'dossier.request.sent'.
    const flashed = response.flashMessages() as { dossier?: { requestSent?: boolean } }
    assert.isTrue(flashed.dossier?.requestSent)
    const history = await textOf(client.get('/dossier/demarches').withFlashMessages(flashed).loginAs(parent))
    const link = /<a href="(\/messagerie\/nouveau\?theme=[^"]+)">/.exec(history)?.[1]
    assert.isDefined(link, 'the history page links to the messaging form')
    const form = await textOf(client.get(link!).loginAs(parent))
    assert.include(form, `<option value="${topicId}" selected>`)
  })

  test('an event about an unknown family, or with no service set up, is ignored without breaking the emitter', async ({ assert }) => {
    const { family, child } = await createFamily()
    await bus.emit('inscription:validated', registration(family.id, child.id))
    assert.lengthOf(await noticesOf(family.id), 0, 'no service yet: nothing to file it under')
    await seedCatalog()
    await bus.emit('billing:payment-received', { familyId: 99999999, invoiceNumber: 'X', amountCents: 100 })
    assert.lengthOf(await Conversation.all(), 0)
  })
  test('an invoice run’s notices are queued with the run, then mailed five at a time (the SMTP pool), each family’s account once', async ({ assert, cleanup }) => {
    await seedCatalog()
    const families = []
    for (let index = 0; index < 12; index++) families.push(await createFamily())
    let inFlight = 0
    let most = 0
    const mailed: string[] = []
    const original = mailer.send
    mailer.send = async (message) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 10))
      mailed.push(message.to)
      inFlight--
      return undefined as unknown as Awaited<ReturnType<typeof original>>
    }
    cleanup(() => void (mailer.send = original))

    await bus.emit('billing:invoices-issued', {
      invoices: families.map(({ family }, index) => ({ familyId: family.id, invoiceNumber: `F2026-${index}`, totalCents: 1000, dueDate: '2026-07-15' })),
    })
    // The run does not wait for the mail server: its mails are in the queue, none sent yet.
    assert.lengthOf(mailed, 0)
    assert.lengthOf(await db.from('mail_queue'), 12)
    await mailQueue.drain()
    assert.equal(most, 5)
    assert.sameMembers(mailed, families.map(({ parent }) => parent.email!))
    assert.lengthOf(await db.from('mail_queue'), 0)
    for (const { family } of families) assert.lengthOf(await noticesOf(family.id), 1)
  })
})

import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import type { Emitter } from '@adonisjs/core/events'
import portalConfig from '#config/portal'
import Conversation from '#modules/messaging/models/conversation'
import preferenceService from '#modules/messaging/services/preference_service'
import type { HeardEvents } from '#modules/messaging/events'
import { createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import { isolateMessagingTests } from '#modules/messaging/tests/fixtures'
import mailQueue from '#services/mail_queue'

const bus = emitter as unknown as Emitter<HeardEvents>
const base = portalConfig.appUrl.replace(/\/+$/, '')

test.group('Messagerie — places proposées et rappels du planning', (group) => {
  isolateMessagingTests(group)

  test('an offered place: a notice whose « Réserver cette place » is a link in the inbox and in the mail, with the time in Paris', async ({ client, assert }) => {
    await seedCatalog()
    const { family, parent } = await createFamily()
    const { messages } = mail.fake()
    await bus.emit('planning:offer-made', {
      familyId: family.id,
      childFirstName: 'Lya',
      activityName: 'Mercredis',
      date: '2026-09-16',
      expiresAt: '2026-09-14T16:00:00.000Z',
      url: `${base}/planning/places-proposees/42`,
    })
    const [notice] = await Conversation.query().where('family_id', family.id).where('origin', 'planning:offer-made').preload('messages')
    assert.equal(notice.subject, "Une place s'est libérée le 16 septembre 2026 (Lya)")
    assert.include(notice.messages[0].body, "jusqu'au 14 septembre 2026 à 18:00 (heure de Paris)")
    const thread = await client.get(`/messagerie/${notice.id}`).loginAs(parent)
    thread.assertStatus(200)
    assert.match(thread.text(), /<a class="button button--primary" href="\/planning\/places-proposees\/42">Réserver cette place<\/a>/)
    assert.notInclude(thread.text(), `Réserver cette place : ${base}`)
    await mailQueue.drain()
    const [sent] = messages.sent((message) => message.hasTo(parent.email!))
    assert.include(sent.toJSON().message.html, `href="${base}/planning/places-proposees/42"`)
    assert.include(sent.toJSON().message.text, `Réserver cette place : ${base}/planning/places-proposees/42`)
  })

  test('reminders in bulk: one notice per family in the inbox, mailed only to the accounts that want notices', async ({ assert }) => {
    await seedCatalog()
    const first = await createFamily('Durand')
    const second = await createFamily('Petit')
    await preferenceService.update(second.parent.id, { emailNotices: false })
    const { messages } = mail.fake()
    const reminder = {
      activityName: 'Restauration scolaire',
      childFirstNames: ['Lya', 'Mael'],
      periodStart: '2026-09-14',
      periodEnd: '2026-09-20',
      deadline: '2026-09-12T10:00:00.000Z',
      url: `${base}/planning?vue=semaine&date=2026-09-14`,
    }
    await bus.emit('planning:booking-reminders', { reminders: [{ familyId: first.family.id, ...reminder }, { familyId: second.family.id, ...reminder }] })
    for (const family of [first.family, second.family]) {
      const notices = await Conversation.query().where('family_id', family.id).where('origin', 'planning:booking-reminders').preload('messages')
      assert.lengthOf(notices, 1)
      assert.equal(notices[0].subject, 'Réservations de la semaine du 14 septembre 2026 : Restauration scolaire')
      assert.include(notices[0].messages[0].body, 'pour Lya et Mael')
      assert.include(notices[0].messages[0].body, 'avant le 12 septembre 2026 à 12:00 (heure de Paris)')
    }
    await mailQueue.drain()
    assert.lengthOf(messages.sent((message) => message.hasTo(first.parent.email!)), 1)
    assert.lengthOf(messages.sent((message) => message.hasTo(second.parent.email!)), 0)
  })
})

import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import type { DemoContext } from '#core/demo'
import { User } from '#modules/accounts/index'
import { historyService } from '#modules/dossier/index'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import Attachment from '#modules/messaging/models/attachment'
import Service from '#modules/messaging/models/service'
import { historyText } from '#modules/messaging/services/messaging_service'
import { de } from '#core/french'
import router from '@adonisjs/core/services/router'

const CERTIFICATE = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
)

/**
 * A demo family's conversation with the Service Enfance: a certificate sent by the parent and the
 * agent's answer (still unread, so the home tile shows it), and an earlier treated request.
 */
export default async function seedMessaging(demo: DemoContext) {
  const families = Object.values((demo.state.families ?? {}) as Record<string, { id: number; userIds: number[]; children: Record<string, number> }>)
  const family = demo.state.families?.guerucci ?? families.find((candidate) => candidate.userIds?.length)
  const service = await Service.query().preload('topics', (query) => query.orderBy('position')).orderBy('position').orderBy('id').first()
  if (!family || !service) return
  const parent = await User.find(family.userIds?.[0] ?? 0)
  const member = await db.from('user_services').where('service_id', service.id).select('user_id').first()
  const agentId = demo.state.staff?.agent ?? member?.user_id
  const agent = agentId ? await User.find(agentId) : await User.query().whereIn('role', ['staff', 'admin']).orderBy('id').first()
  if (!parent || !agent) return
  const topicNamed = (name: string) => service.topics.find((topic) => topic.name === name) ?? service.topics[0] ?? null
  const childName = Object.keys(family.children ?? {})[0] ?? 'notre enfant'

  const exchanges = [
    {
      topic: topicNamed('Remise de justificatif (absence,...)'),
      subject: `Absence ${de(childName)}`,
      family: `Bonjour,\n${childName} était malade mercredi et n'a pas pu venir à l'accueil de loisirs. Vous trouverez le certificat médical en pièce jointe.\nCordialement.`,
      answer: `Bonjour,\nNous avons bien reçu le certificat : l'absence ${de(childName)} est justifiée et ne sera pas facturée.\nBonne journée.`,
      daysAgo: 2,
      attachment: true,
      done: true,
      answerRead: false,
    },
    {
      topic: topicNamed('Autres demandes'),
      subject: 'Sortie du vendredi',
      family: "Bonjour,\nÀ quelle heure le car revient-il de la sortie de vendredi ?\nMerci.",
      answer: 'Bonjour,\nLe retour est prévu vers 17 h 30 devant l’école.\nCordialement.',
      daysAgo: 9,
      attachment: false,
      done: true,
      answerRead: true,
    },
  ]

  for (const exchange of exchanges) {
    const sentAt = demo.now.toUTC().minus({ days: exchange.daysAgo }).set({ hour: 8, minute: 12 })
    const answeredAt = sentAt.plus({ hours: 3 })
    let storageKey: string | null = null
    if (exchange.attachment) {
      storageKey = `messaging/${family.id}/${randomUUID()}.pdf`
      await drive.use().put(storageKey, CERTIFICATE)
    }
    await db.transaction(async (trx) => {
      const conversation = await Conversation.create(
        {
          familyId: family.id,
          serviceId: service.id,
          topicId: exchange.topic?.id ?? null,
          topicName: exchange.topic?.name ?? null,
          subject: exchange.subject,
          kind: 'message',
          status: exchange.done ? 'done' : 'open',
          assignedTo: agent.id,
          createdBy: parent.id,
          lastMessageAt: answeredAt,
          createdAt: sentAt,
        },
        { client: trx }
      )
      const question = await Message.create(
        {
          conversationId: conversation.id,
          authorSide: 'family',
          authorId: parent.id,
          authorName: parent.fullName,
          body: exchange.family,
          acknowledgementRequested: true,
          readAt: sentAt.plus({ hours: 1 }),
          createdAt: sentAt,
        },
        { client: trx }
      )
      if (storageKey) {
        await Attachment.create(
          { messageId: question.id, storageKey, name: 'certificat-medical.pdf', mime: 'application/pdf', size: CERTIFICATE.length },
          { client: trx }
        )
      }
      await Message.create(
        {
          conversationId: conversation.id,
          authorSide: 'staff',
          authorId: agent.id,
          authorName: agent.fullName,
          body: exchange.answer,
          acknowledgementRequested: false,
          readAt: exchange.answerRead ? answeredAt.plus({ hours: 2 }) : null,
          createdAt: answeredAt,
        },
        { client: trx }
      )
      await historyService.record(
        family.id,
        { module: 'messaging', kind: 'message-sent', text: historyText(service.name, exchange.topic?.name ?? null), link: router.makeUrl('messaging.show', { id: conversation.id }) },
        trx
      )
    })
  }
  demo.state.messaging = { conversations: exchanges.length }
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { StoredFile } from '#services/upload_service'
import { User } from '#modules/accounts/index'
import { Family, historyService } from '#modules/dossier/index'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import Attachment from '#modules/messaging/models/attachment'
import Service from '#modules/messaging/models/service'
import type ServiceTopic from '#modules/messaging/models/service_topic'
import notificationService from '#modules/messaging/services/notification_service'
import { dbTime } from '#core/db_time'
import { withAction, type NoticeAction } from '#modules/messaging/services/notice_action'

export { MAX_ATTACHMENTS } from '#modules/messaging/services/attachment_limits'
export const PER_PAGE = 20

export interface NewConversation {
  familyId: number
  user: User
  service: Service
  topic: ServiceTopic
  subject?: string | null
  body: string
  files: StoredFile[]
  acknowledgement: boolean
}

export interface NoticeInput {
  familyId: number
  origin: string
  subject: string
  body: string
  /** A topic of the default service to file it under ("Facturation"), when it exists. */
  topicName?: string
  /** False when the announcing module already mailed the family: the notice stays in the inbox only. */
  mail?: boolean
  /** A portal page to act on it, shown as a link (« Réserver cette place »). */
  action?: NoticeAction
}

export interface StaffFilters {
  status?: 'open' | 'done' | 'all'
  unread?: boolean
  serviceId?: number | null
  topicId?: number | null
  family?: string | null
  from?: string | null
  to?: string | null
  assignedToMe?: boolean
}

/** "Message envoyé au service : Service Enfance, concernant le thème : Remise de justificatif (absence,...)" */
export function historyText(serviceName: string, topicName: string | null) {
  return `Message envoyé au service : ${serviceName}${topicName ? `, concernant le thème : ${topicName}` : ''}`
}

/** Conversations between families and services: writing, answering, reading, scoping. */
class MessagingService {
  private async attach(message: Message, files: StoredFile[], trx: TransactionClientContract) {
    for (const file of files) {
      await Attachment.create(
        { messageId: message.id, storageKey: file.key, name: file.name, mime: file.mime, size: file.size },
        { client: trx }
      )
    }
  }

  /** Runs `work` in one transaction; the files stored for it are removed if it fails. */
  private async keepingFiles<T>(files: StoredFile[], work: (trx: TransactionClientContract) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(work)
    } catch (error) {
      await this.discard(files)
      throw error
    }
  }

  /** A message of the conversation, with its files. */
  private async addMessage(
    trx: TransactionClientContract,
    conversationId: number,
    author: { side: 'family' | 'staff'; user: User },
    body: string,
    acknowledgementRequested: boolean,
    files: StoredFile[],
    createdAt: DateTime
  ) {
    const message = await Message.create(
      { conversationId, authorSide: author.side, authorId: author.user.id, authorName: author.user.fullName, body, acknowledgementRequested, createdAt },
      { client: trx }
    )
    await this.attach(message, files, trx)
    return message
  }

  /** The family file's history says a message was sent to the service. */
  private recordSent(trx: TransactionClientContract, conversation: Conversation, serviceName: string) {
    return historyService.record(
      conversation.familyId,
      {
        module: 'messaging',
        kind: 'message-sent',
        text: historyText(serviceName, conversation.topicName),
        link: router.makeUrl('messaging.show', { id: conversation.id }),
      },
      trx
    )
  }

  /** Removes stored files whose message could not be saved. */
  async discard(files: StoredFile[]) {
    for (const file of files) {
      await drive
        .use()
        .delete(file.key)
        .catch(() => {})
    }
  }

  private async familyName(familyId: number) {
    const family = await Family.query().where('id', familyId).preload('guardians').first()
    return family?.displayName ?? `Famille n° ${familyId}`
  }

  /** A family writes to a service ("NOUS ENVOYER UN MESSAGE"). */
  async startConversation(input: NewConversation) {
    const now = DateTime.utc()
    const subject = input.subject?.trim() || input.topic.name
    const { conversation, message } = await this.keepingFiles(input.files, async (trx) => {
      const created = await Conversation.create(
        {
          familyId: input.familyId,
          serviceId: input.service.id,
          topicId: input.topic.id,
          topicName: input.topic.name,
          subject: subject.slice(0, 200),
          kind: 'message',
          status: 'open',
          createdBy: input.user.id,
          lastMessageAt: now,
        },
        { client: trx }
      )
      const first = await this.addMessage(trx, created.id, { side: 'family', user: input.user }, input.body, input.acknowledgement, input.files, now)
      await this.recordSent(trx, created, input.service.name)
      return { conversation: created, message: first }
    })
    if (input.acknowledgement) {
      await notificationService.acknowledge(input.user, conversation, message, input.service.name)
    }
    await notificationService.toAgents(conversation, input.service.name, await this.familyName(input.familyId))
    return conversation
  }

  /** A parent answers in a conversation of the family; a treated conversation opens again. */
  async familyReply(conversation: Conversation, user: User, body: string, files: StoredFile[], acknowledgement: boolean) {
    const now = DateTime.utc()
    const service = await Service.findOrFail(conversation.serviceId)
    const message = await this.keepingFiles(files, async (trx) => {
      const answer = await this.addMessage(trx, conversation.id, { side: 'family', user }, body, acknowledgement, files, now)
      conversation.useTransaction(trx)
      conversation.merge({ lastMessageAt: now, status: 'open' })
      await conversation.save()
      await this.recordSent(trx, conversation, service.name)
      return answer
    })
    if (acknowledgement) await notificationService.acknowledge(user, conversation, message, service.name)
    await notificationService.toAgents(conversation, service.name, await this.familyName(conversation.familyId))
    return message
  }

  /** An agent answers; the family reads it in the thread (and by email if it wants). */
  async staffReply(conversation: Conversation, agent: User, body: string, files: StoredFile[], markDone: boolean) {
    const now = DateTime.utc()
    const service = await Service.findOrFail(conversation.serviceId)
    const message = await this.keepingFiles(files, async (trx) => {
      const answer = await this.addMessage(trx, conversation.id, { side: 'staff', user: agent }, body, false, files, now)
      await Message.query({ client: trx })
        .where('conversation_id', conversation.id)
        .where('author_side', 'family')
        .whereNull('read_at')
        .update({ read_at: dbTime(now) })
      conversation.useTransaction(trx)
      conversation.merge({ lastMessageAt: now, status: markDone ? 'done' : conversation.status })
      if (conversation.assignedTo === null) conversation.assignedTo = agent.id
      await conversation.save()
      return answer
    })
    await notificationService.toFamily(conversation.familyId, conversation, service.name, 'answer', body)
    return message
  }

  /** A notice of the portal on the service's behalf (inscription validated, invoice issued...). */
  async notice(input: NoticeInput): Promise<Conversation | null> {
    const family = await Family.find(input.familyId)
    const service = await Service.query().orderBy('position').orderBy('id').first()
    if (!family || !service) return null
    const topics = input.topicName ? await service.related('topics').query().orderBy('position') : []
    const topic = topics.find((candidate) => candidate.name.toLocaleLowerCase('fr-FR') === input.topicName!.toLocaleLowerCase('fr-FR'))
    const now = DateTime.utc()
    const conversation = await db.transaction(async (trx) => {
      const created = await Conversation.create(
        {
          familyId: family.id,
          serviceId: service.id,
          topicId: topic?.id ?? null,
          topicName: topic?.name ?? null,
          subject: input.subject.slice(0, 200),
          kind: 'notice',
          origin: input.origin,
          status: 'done',
          lastMessageAt: now,
        },
        { client: trx }
      )
      await Message.create(
        {
          conversationId: created.id,
          authorSide: 'system',
          authorName: service.name,
          body: withAction(input.body, input.action),
          acknowledgementRequested: false,
          createdAt: now,
        },
        { client: trx }
      )
      return created
    })
    if (input.mail !== false) await notificationService.toFamily(family.id, conversation, service.name, 'notice', input.body, input.action)
    return conversation
  }

  /**
   * A request made elsewhere in the portal (dossier: "Demande de modification d'éléments dans
   * mon dossier") becomes a conversation the service answers; no history line (already written).
   */
  async requestFromFamily(input: { familyId: number; userId: number | null; topicName: string; subject: string; body: string; origin: string }) {
    const family = await Family.find(input.familyId)
    if (!family) return null
    const services = await Service.query().preload('topics').orderBy('position').orderBy('id')
    const wanted = input.topicName.toLocaleLowerCase('fr-FR')
    const service = services.find((candidate) => candidate.topics.some((topic) => topic.name.toLocaleLowerCase('fr-FR') === wanted)) ?? services[0]
    if (!service) return null
    const topic = service.topics.find((candidate) => candidate.name.toLocaleLowerCase('fr-FR') === wanted)
    const user = input.userId ? await User.find(input.userId) : null
    const now = DateTime.utc()
    const conversation = await db.transaction(async (trx) => {
      const created = await Conversation.create(
        {
          familyId: family.id,
          serviceId: service.id,
          topicId: topic?.id ?? null,
          topicName: topic?.name ?? input.topicName,
          subject: input.subject.slice(0, 200),
          kind: 'message',
          origin: input.origin,
          status: 'open',
          createdBy: user?.id ?? null,
          lastMessageAt: now,
        },
        { client: trx }
      )
      await Message.create(
        {
          conversationId: created.id,
          authorSide: 'family',
          authorId: user?.id ?? null,
          authorName: user?.fullName ?? null,
          body: input.body,
          acknowledgementRequested: false,
          createdAt: now,
        },
        { client: trx }
      )
      return created
    })
    await notificationService.toAgents(conversation, service.name, await this.familyName(family.id))
    return conversation
  }

  /** A conversation's messages, oldest first, with their attachments. */
  async thread(conversation: Conversation) {
    return Message.query()
      .where('conversation_id', conversation.id)
      .preload('attachments', (query) => query.orderBy('id'))
      .orderBy('created_at')
      .orderBy('id')
  }
}

const messagingService = new MessagingService()
export default messagingService

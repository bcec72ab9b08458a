import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import mailQueue from '#services/mail_queue'
import type { PortalMail } from '#services/mailer'
import { User } from '#modules/accounts/index'
import { familyService } from '#modules/dossier/index'
import preferenceService from '#modules/messaging/services/preference_service'
import type Conversation from '#modules/messaging/models/conversation'
import type Message from '#modules/messaging/models/message'
import type { NoticeAction } from '#modules/messaging/services/notice_action'

type NoticeMail = { conversationId: number; subject: string; body: string; action?: NoticeAction | null }

function mailOf(to: string, subject: string, template: string, data: Record<string, unknown>): PortalMail {
  return { to, subject, html: `messaging::emails/${template}`, text: `messaging::emails/${template}_text`, data }
}

/**
 * The mails of the messaging: acknowledgement, notices to families, new messages to agents. They
 * go to the mail queue (#services/mail_queue), which sends them after the answer and tries again
 * when the mail server fails: the message itself is already in the portal.
 */
class NotificationService {
  /** A queue that cannot be written to never loses a message: it is logged and the message stays in the portal. */
  async queue(mails: PortalMail[]) {
    try {
      await mailQueue.enqueue(mails)
    } catch (error) {
      logger.error({ err: error }, 'messagerie : des emails n’ont pas pu être mis en file d’envoi')
    }
  }

  /** "Confirmation par email": only to the parent who ticked it. */
  async acknowledge(user: User, conversation: Conversation, message: Message, serviceName: string) {
    if (!user.email) return
    await this.queue([
      mailOf(user.email, 'Accusé de réception de votre message', 'acknowledgement', {
        user: { fullName: user.fullName },
        serviceName,
        topicName: conversation.topicName,
        subject: conversation.subject,
        sentAt: message.createdAt,
        path: router.makeUrl('messaging.show', { id: conversation.id }),
      }),
    ])
  }

  /** A notice or an answer of the service: to each account of the family that wants it by email. */
  async toFamily(familyId: number, conversation: Conversation, serviceName: string, kind: 'notice' | 'answer', body: string, action?: NoticeAction) {
    const userIds = await familyService.userIdsOf(familyId)
    const users = await this.wantingNotices(userIds)
    await this.queue(
      users.map((user) =>
        kind === 'notice'
          ? this.noticeMail(user, { conversationId: conversation.id, subject: conversation.subject, body, action }, serviceName)
          : mailOf(user.email!, `Réponse du ${serviceName} à votre message`, 'answer', {
              user: { fullName: user.fullName },
              serviceName,
              subject: conversation.subject,
              body: null,
              action: null,
              path: router.makeUrl('messaging.show', { id: conversation.id }),
            })
      )
    )
  }

  /** The mail of one notice to one account (bulk notices queue many at once: `queue`). */
  noticeMail(user: User, notice: NoticeMail, serviceName: string): PortalMail {
    return mailOf(user.email!, notice.subject, 'notice', {
      user: { fullName: user.fullName },
      serviceName,
      subject: notice.subject,
      body: notice.body,
      action: notice.action ?? null,
      path: router.makeUrl('messaging.show', { id: notice.conversationId }),
    })
  }

  /** A family wrote: each active agent of the service who did not refuse it gets a mail (no content, a link). */
  async toAgents(conversation: Conversation, serviceName: string, familyName: string) {
    const rows = await db.from('user_services').where('service_id', conversation.serviceId).select('user_id')
    const agentIds = rows.map((row) => Number(row.user_id))
    const refusing = await preferenceService.refusing(agentIds, 'emailNewMessages')
    const agents = await User.query()
      .whereIn('id', agentIds.filter((id) => !refusing.has(id)))
      .whereIn('role', ['staff', 'admin'])
      .where('state', 'active')
      .whereNotNull('email')
    await this.queue(
      agents.map((agent) =>
        mailOf(agent.email!, `Nouveau message : ${conversation.topicName ?? conversation.subject}`, 'new_message', {
          agent: { fullName: agent.fullName },
          serviceName,
          familyName,
          topicName: conversation.topicName,
          subject: conversation.subject,
          path: router.makeUrl('messaging.staff.show', { id: conversation.id }),
        })
      )
    )
  }

  /** The active accounts with an email among these, but those who refused notices by email. */
  async wantingNotices(userIds: number[]): Promise<User[]> {
    if (!userIds.length) return []
    const refusing = await preferenceService.refusing(userIds, 'emailNotices')
    return User.query()
      .whereIn('id', userIds.filter((id) => !refusing.has(id)))
      .where('state', 'active')
      .whereNotNull('email')
  }
}

const notificationService = new NotificationService()
export default notificationService

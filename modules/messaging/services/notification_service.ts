import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import mailer from '#services/mailer'
import { User } from '#modules/accounts/index'
import { familyService } from '#modules/dossier/index'
import preferenceService from '#modules/messaging/services/preference_service'
import type Conversation from '#modules/messaging/models/conversation'
import type Message from '#modules/messaging/models/message'
import type { NoticeAction } from '#modules/messaging/services/notice_action'

/** The mails of the messaging: acknowledgement, notices to families, new messages to agents. */
class NotificationService {
  /** A mail failure never loses a message: it is logged and the message stays in the portal. */
  private async deliver(to: string, subject: string, template: string, data: Record<string, unknown>) {
    try {
      await mailer.send({
        to,
        subject,
        html: `messaging::emails/${template}`,
        text: `messaging::emails/${template}_text`,
        data,
      })
    } catch (error) {
      logger.error({ err: error, template }, 'messagerie : un email n’a pas pu être envoyé')
    }
  }

  /** "Confirmation par email": only to the parent who ticked it. */
  async acknowledge(user: User, conversation: Conversation, message: Message, serviceName: string) {
    if (!user.email) return
    await this.deliver(user.email, 'Accusé de réception de votre message', 'acknowledgement', {
      user,
      serviceName,
      topicName: conversation.topicName,
      subject: conversation.subject,
      sentAt: message.createdAt,
      path: router.makeUrl('messaging.show', { id: conversation.id }),
    })
  }

  /** A notice or an answer of the service: to each account of the family that wants it by email. */
  async toFamily(familyId: number, conversation: Conversation, serviceName: string, kind: 'notice' | 'answer', body: string, action?: NoticeAction) {
    const userIds = await familyService.userIdsOf(familyId)
    for (const user of await this.wantingNotices(userIds)) {
      await this.deliver(
        user.email!,
        kind === 'notice' ? conversation.subject : `Réponse du ${serviceName} à votre message`,
        kind === 'notice' ? 'notice' : 'answer',
        {
          user,
          serviceName,
          subject: conversation.subject,
          body: kind === 'notice' ? body : null,
          action: action ?? null,
          path: router.makeUrl('messaging.show', { id: conversation.id }),
        }
      )
    }
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

  /** One notice by email to one account (bulk notices: the accounts were read for many families at once). */
  async mailNotice(user: User, notice: { conversationId: number; subject: string; body: string; action?: NoticeAction | null }, serviceName: string) {
    await this.deliver(user.email!, notice.subject, 'notice', {
      user,
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
    for (const agent of agents) {
      await this.deliver(agent.email!, `Nouveau message : ${conversation.topicName ?? conversation.subject}`, 'new_message', {
        agent,
        serviceName,
        familyName,
        topicName: conversation.topicName,
        subject: conversation.subject,
        path: router.makeUrl('messaging.staff.show', { id: conversation.id }),
      })
    }
  }
}

const notificationService = new NotificationService()
export default notificationService

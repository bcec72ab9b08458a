import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { User } from '#modules/accounts/index'
import { familySearch } from '#modules/dossier/index'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import Attachment from '#modules/messaging/models/attachment'
import Service from '#modules/messaging/models/service'
import { PER_PAGE, type StaffFilters } from '#modules/messaging/services/messaging_service'
import { dbTime } from '#core/db_time'

/** The services' side of the messaging: agents see the services they belong to, administrators all. */
class StaffMailbox {
  async visibleServiceIds(user: User): Promise<number[]> {
    if (user.isAdmin) {
      const rows = await db.from('services').select('id')
      return rows.map((row) => Number(row.id))
    }
    const rows = await db.from('user_services').where('user_id', user.id).select('service_id')
    return rows.map((row) => Number(row.service_id))
  }

  async visibleServices(user: User) {
    const ids = await this.visibleServiceIds(user)
    return Service.query()
      .whereIn('id', ids)
      .preload('topics', (query) => query.orderBy('position').orderBy('id'))
      .orderBy('position')
      .orderBy('id')
  }

  /** Conversations of this agent's services with a family message nobody has read (the staff home's count). */
  async unreadConversations(user: User): Promise<number> {
    const serviceIds = await this.visibleServiceIds(user)
    if (!serviceIds.length) return 0
    // From the unread family messages (few), not from the conversations (every notice of every month:
    // hundreds of thousands), each probed for one.
    const row = await db
      .from('messaging_messages')
      .join('messaging_conversations', 'messaging_conversations.id', 'messaging_messages.conversation_id')
      .where('messaging_messages.author_side', 'family')
      .whereNull('messaging_messages.read_at')
      .whereIn('messaging_conversations.service_id', serviceIds)
      .countDistinct('messaging_messages.conversation_id as total')
      .first()
    return Number(row?.total ?? 0)
  }

  async staffInbox(user: User, filters: StaffFilters, page: number) {
    const serviceIds = await this.visibleServiceIds(user)
    const query = Conversation.query()
      .whereIn('service_id', serviceIds)
      .where((scope) => {
        scope.where('kind', 'message').orWhereHas('messages', (messages) => messages.where('author_side', 'family'))
      })
      .preload('service')
      .preload('family', (family) => family.preload('guardians'))
      .preload('assignee')
      .withCount('messages', (messages) => messages.where('author_side', 'family').whereNull('read_at').as('unreadCount'))
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
    if (filters.status === 'open' || filters.status === 'done') query.where('status', filters.status)
    if (filters.unread) query.whereHas('messages', (messages) => messages.where('author_side', 'family').whereNull('read_at'))
    if (filters.serviceId) query.where('service_id', filters.serviceId)
    if (filters.topicId) query.where('topic_id', filters.topicId)
    if (filters.assignedToMe) query.where('assigned_to', user.id)
    if (filters.family) {
      const familyId = /^\d+$/.test(filters.family.trim()) ? Number(filters.family.trim()) : null
      await familySearch.refresh()
      const matching = familySearch.idsMatching(filters.family)
      query.where((scope) => {
        scope.whereIn('family_id', matching)
        if (familyId) scope.orWhere('family_id', familyId)
      })
    }
    if (filters.from) {
      const from = DateTime.fromISO(filters.from, { zone: 'Europe/Paris' })
      if (from.isValid) query.where('last_message_at', '>=', dbTime(from.startOf('day')))
    }
    if (filters.to) {
      const to = DateTime.fromISO(filters.to, { zone: 'Europe/Paris' })
      if (to.isValid) query.where('last_message_at', '<', dbTime(to.plus({ days: 1 }).startOf('day')))
    }
    return query.paginate(page, PER_PAGE)
  }

  /** 404 when the conversation belongs to a service the agent is not part of. */
  async conversationForStaff(user: User, id: number) {
    const serviceIds = await this.visibleServiceIds(user)
    return Conversation.query()
      .whereIn('service_id', serviceIds)
      .where('id', id)
      .preload('service')
      .preload('family', (family) => family.preload('guardians'))
      .preload('assignee')
      .firstOrFail()
  }

  async markReadByStaff(conversation: Conversation) {
    await Message.query()
      .where('conversation_id', conversation.id)
      .where('author_side', 'family')
      .whereNull('read_at')
      .update({ read_at: dbTime() })
  }

  async attachmentForStaff(user: User, id: number) {
    const serviceIds = await this.visibleServiceIds(user)
    return Attachment.findInConversations(id, (conversations) => conversations.whereIn('messaging_conversations.service_id', serviceIds))
  }

  /** Agents who may take a conversation of this service: its members, then the administrators. */
  async agentsOf(serviceId: number) {
    return User.query()
      .where('state', 'active')
      .where((scope) => {
        scope
          .whereIn('id', (members) => members.from('user_services').where('service_id', serviceId).select('user_id'))
          .orWhere('role', 'admin')
      })
      .whereIn('role', ['staff', 'admin'])
      .orderBy('full_name')
  }
}

const staffMailbox = new StaffMailbox()
export default staffMailbox

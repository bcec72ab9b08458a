import db from '@adonisjs/lucid/services/db'
import Conversation from '#modules/messaging/models/conversation'
import Message from '#modules/messaging/models/message'
import Attachment from '#modules/messaging/models/attachment'
import { PER_PAGE } from '#modules/messaging/services/messaging_service'
import { dbTime } from '#core/db_time'

/** The family's side of the messaging: every query scoped to the family. */
class FamilyMailbox {
  async unreadForFamily(familyId: number): Promise<number> {
    const row = await db
      .from('messaging_messages')
      .join('messaging_conversations', 'messaging_conversations.id', 'messaging_messages.conversation_id')
      .where('messaging_conversations.family_id', familyId)
      .whereIn('messaging_messages.author_side', ['staff', 'system'])
      .whereNull('messaging_messages.read_at')
      .count('* as total')
      .first()
    return Number(row?.total ?? 0)
  }

  /** "Message(s) reçu(s)" (from the services) or "Message(s) envoyé(s)" (by the family). */
  async familyMessages(familyId: number, box: 'received' | 'sent', page: number) {
    return Message.query()
      .whereIn('conversation_id', (query) => query.from('messaging_conversations').where('family_id', familyId).select('id'))
      .if(box === 'received', (query) => query.whereIn('author_side', ['staff', 'system']))
      .if(box === 'sent', (query) => query.where('author_side', 'family'))
      .preload('conversation', (query) => query.preload('service'))
      .withCount('attachments')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, PER_PAGE)
  }

  /** 404 (firstOrFail) when the conversation is another family's. */
  async conversationOfFamily(familyId: number, id: number) {
    return Conversation.query().where('family_id', familyId).where('id', id).preload('service').firstOrFail()
  }

  async markReadByFamily(conversation: Conversation) {
    await Message.query()
      .where('conversation_id', conversation.id)
      .whereIn('author_side', ['staff', 'system'])
      .whereNull('read_at')
      .update({ read_at: dbTime() })
  }

  async attachmentOfFamily(familyId: number, id: number) {
    return Attachment.findInConversations(id, (conversations) => conversations.where('messaging_conversations.family_id', familyId))
  }
}

const familyMailbox = new FamilyMailbox()
export default familyMailbox

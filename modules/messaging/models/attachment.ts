import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { WithCreatedAt } from '#core/model_mixins'

/** A file joined to a message, stored privately through Drive under storage_key. */
export default class Attachment extends compose(BaseModel, WithCreatedAt) {
  static table = 'messaging_attachments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare messageId: number

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare name: string

  @column()
  declare mime: string

  @column()
  declare size: number

  /** Attachment `id` when its conversation is among `conversations` (a family's, an agent's services'); 404 otherwise. */
  static findInConversations(id: number, conversations: (query: ModelQueryBuilderContract<typeof Attachment>) => void) {
    return this.query()
      .where('id', id)
      .whereIn('message_id', (query) => {
        query
          .from('messaging_messages')
          .join('messaging_conversations', 'messaging_conversations.id', 'messaging_messages.conversation_id')
          .select('messaging_messages.id')
        conversations(query)
      })
      .firstOrFail()
  }
}

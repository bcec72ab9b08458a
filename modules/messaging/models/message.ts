import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { WithCreatedAt } from '#core/model_mixins'
import Conversation from '#modules/messaging/models/conversation'
import Attachment from '#modules/messaging/models/attachment'
import { splitAction } from '#modules/messaging/services/notice_action'
import { dateTimeColumn } from '#core/datetime_column'

export type AuthorSide = 'family' | 'staff' | 'system'

/** One message of a conversation; read_at is when the other side first read it. */
export default class Message extends compose(BaseModel, WithCreatedAt) {
  static table = 'messaging_messages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare conversationId: number

  @column()
  declare authorSide: AuthorSide

  @column()
  declare authorId: number | null

  @column()
  declare authorName: string | null

  @column()
  declare body: string

  @column({ consume: (value) => Boolean(value) })
  declare acknowledgementRequested: boolean

  @dateTimeColumn()
  declare readAt: DateTime | null

  @belongsTo(() => Conversation)
  declare conversation: BelongsTo<typeof Conversation>

  @hasMany(() => Attachment)
  declare attachments: HasMany<typeof Attachment>

  get fromFamily() {
    return this.authorSide === 'family'
  }

  /** The text to show, and the portal's action link a notice ends with (only the portal writes notices). */
  get shown() {
    return this.authorSide === 'system' ? splitAction(this.body) : { text: this.body, action: null }
  }
}

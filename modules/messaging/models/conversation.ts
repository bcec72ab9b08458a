import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import { User } from '#modules/accounts/index'
import { Family } from '#modules/dossier/index'
import Service from '#modules/messaging/models/service'
import Message from '#modules/messaging/models/message'
import { dateTimeColumn } from '#core/datetime_column'

export type ConversationKind = 'message' | 'notice'
export type ConversationStatus = 'open' | 'done'

/** A conversation between a family and one service, about one topic. */
export default class Conversation extends compose(BaseModel, WithTimestamps) {
  static table = 'messaging_conversations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare serviceId: number

  @column()
  declare topicId: number | null

  @column()
  declare topicName: string | null

  @column()
  declare subject: string

  @column()
  declare kind: ConversationKind

  @column()
  declare origin: string | null

  @column()
  declare status: ConversationStatus

  @column()
  declare assignedTo: number | null

  @column()
  declare createdBy: number | null

  @dateTimeColumn()
  declare lastMessageAt: DateTime

  @belongsTo(() => Family)
  declare family: BelongsTo<typeof Family>

  @belongsTo(() => Service)
  declare service: BelongsTo<typeof Service>

  @belongsTo(() => User, { foreignKey: 'assignedTo' })
  declare assignee: BelongsTo<typeof User>

  @hasMany(() => Message)
  declare messages: HasMany<typeof Message>
}

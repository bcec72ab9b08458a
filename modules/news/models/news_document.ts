import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { User } from '#modules/accounts/index'

export default class NewsDocument extends BaseModel {
  static table = 'news_documents'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare title: string

  @column()
  declare fileKey: string

  @column()
  declare fileName: string

  @column()
  declare mime: string

  @column()
  declare size: number

  @column()
  declare authorId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'authorId' })
  declare author: BelongsTo<typeof User>
}

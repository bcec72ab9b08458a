import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { User } from '#modules/accounts/index'
import { utcInstantColumn } from '#modules/news/models/instant'

export type ArticleStatus = 'draft' | 'scheduled' | 'published'

export default class NewsArticle extends BaseModel {
  static table = 'news_articles'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare title: string

  @column()
  declare slug: string

  @column()
  declare summary: string | null

  @column()
  declare bodySource: string

  @column()
  declare bodyHtml: string

  @column()
  declare imageKey: string | null

  @column()
  declare imageMime: string | null

  @column()
  declare imageAlt: string | null

  /** Shown from this instant (UTC); null while a draft. */
  @column.dateTime(utcInstantColumn)
  declare publishedAt: DateTime | null

  @column()
  declare authorId: number | null

  @column()
  declare updatedById: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'authorId' })
  declare author: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'updatedById' })
  declare updatedBy: BelongsTo<typeof User>

  statusAt(now: DateTime = DateTime.utc()): ArticleStatus {
    if (!this.publishedAt) return 'draft'
    return this.publishedAt > now ? 'scheduled' : 'published'
  }
}

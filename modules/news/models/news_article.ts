import { DateTime } from 'luxon'
import { BaseModel, afterDelete, afterSave, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { EditedContent } from '#modules/news/models/edited_content'
import { utcInstantColumn } from '#modules/news/models/instant'
import visitorPageCache from '#core/visitor_page_cache'

export type ArticleStatus = 'draft' | 'scheduled' | 'published'

export default class NewsArticle extends compose(BaseModel, EditedContent) {
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

  /** The public home page lists the latest articles. */
  @afterSave()
  @afterDelete()
  static refreshPublicPages() {
    visitorPageCache.invalidate()
  }

  statusAt(now: DateTime = DateTime.utc()): ArticleStatus {
    if (!this.publishedAt) return 'draft'
    return this.publishedAt > now ? 'scheduled' : 'published'
  }
}

import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { AuthoredContent } from '#modules/news/models/edited_content'

export default class NewsDocument extends compose(BaseModel, AuthoredContent) {
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
}

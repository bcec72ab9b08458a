import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { EditedContent } from '#modules/news/models/edited_content'

/** A page the commune writes: "Notre gestion pour l'Enfance", the CGU... */
export default class CommunePage extends compose(BaseModel, EditedContent) {
  static table = 'news_pages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare slug: string

  @column()
  declare title: string

  @column()
  declare bodySource: string

  @column()
  declare bodyHtml: string
}

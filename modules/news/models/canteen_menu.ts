import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { EditedContent } from '#modules/news/models/edited_content'

/** The canteen's menu of one day for one school ('' when the commune has one menu). */
export default class CanteenMenu extends compose(BaseModel, EditedContent) {
  static table = 'news_canteen_menus'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare school: string

  /** ISO date of the day (yyyy-MM-dd). */
  @column()
  declare day: string

  @column()
  declare starter: string | null

  @column()
  declare mainCourse: string

  @column()
  declare dessert: string | null

  @column()
  declare allergens: string | null
}

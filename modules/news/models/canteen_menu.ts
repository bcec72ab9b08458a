import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { User } from '#modules/accounts/index'

/** The canteen's menu of one day for one school ('' when the commune has one menu). */
export default class CanteenMenu extends BaseModel {
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

  @column()
  declare authorId: number | null

  @column()
  declare updatedById: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'updatedById' })
  declare updatedBy: BelongsTo<typeof User>
}

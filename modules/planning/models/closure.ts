import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A day the service is closed: for one activity, or for all when activity_id is null. */
export default class Closure extends BaseModel {
  static table = 'planning_closures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityId: number | null

  @column()
  declare date: string

  @column()
  declare reason: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}

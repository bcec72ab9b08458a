import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'

/** A day the service is closed: for one activity, or for all when activity_id is null. */
export default class Closure extends compose(BaseModel, WithTimestamps) {
  static table = 'planning_closures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityId: number | null

  @column()
  declare date: string

  @column()
  declare reason: string
}

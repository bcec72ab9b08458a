import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'

/** A school holiday period of the commune's zone, kept by the staff. */
export default class SchoolHoliday extends compose(BaseModel, WithTimestamps) {
  static table = 'planning_school_holidays'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare zone: string

  @column()
  declare name: string

  @column()
  declare startsOn: string

  @column()
  declare endsOn: string
}

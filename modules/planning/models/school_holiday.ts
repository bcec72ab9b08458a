import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A school holiday period of the commune's zone, kept by the staff. */
export default class SchoolHoliday extends BaseModel {
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

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}

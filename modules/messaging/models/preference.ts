import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTimeColumn } from '#core/datetime_column'

/** What an account wants by email: notices and answers (families), new messages (agents). */
export default class Preference extends BaseModel {
  static table = 'messaging_preferences'
  static selfAssignPrimaryKey = true

  @column({ isPrimary: true })
  declare userId: number

  @column({ consume: (value) => Boolean(value) })
  declare emailNotices: boolean

  @column({ consume: (value) => Boolean(value) })
  declare emailNewMessages: boolean

  @dateTimeColumn({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}

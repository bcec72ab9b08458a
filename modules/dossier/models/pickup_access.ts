import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'
import { dateTimeColumn } from '#core/datetime_column'

/** The read-only access of an authorized person: the children (and weekdays) they pick up. */
export default class PickupAccess extends compose(BaseModel, WithTimestamps) {
  static table = 'pickup_accesses'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare authorizedPersonId: number

  @column()
  declare userId: number | null

  @column()
  declare email: string

  /** ISO weekdays "1,3,5" (Monday = 1); null: every day. */
  @column()
  declare weekdays: string | null

  @dateTimeColumn()
  declare invitedAt: DateTime

  @dateTimeColumn()
  declare revokedAt: DateTime | null

  get weekdayList(): number[] {
    return this.weekdays ? this.weekdays.split(',').map(Number) : []
  }
}

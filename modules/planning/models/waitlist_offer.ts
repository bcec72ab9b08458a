import type { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithCreatedAt } from '#core/model_mixins'
import ActivityDay from '#modules/planning/models/activity_day'
import { ChildOnDay } from '#modules/planning/models/child_on_day'
import { dateTimeColumn } from '#core/datetime_column'

export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn'

/**
 * A freed place offered to a waiting child. While pending, the place stays counted on the
 * day (nobody else can take it): counters = bookings + pending offers.
 */
export default class WaitlistOffer extends compose(BaseModel, WithCreatedAt, ChildOnDay) {
  static table = 'planning_waitlist_offers'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare status: OfferStatus

  @dateTimeColumn()
  declare expiresAt: DateTime

  @column()
  declare bookingId: number | null

  @dateTimeColumn()
  declare decidedAt: DateTime | null

  @belongsTo(() => ActivityDay)
  declare activityDay: BelongsTo<typeof ActivityDay>
}

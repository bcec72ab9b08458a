import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { Child } from '#modules/dossier/index'
import type { AgeGroup } from '#modules/planning/models/activity_day'

/** A child waiting for a place on a full day; promoted in order (id) when a place frees. */
export default class WaitlistEntry extends BaseModel {
  static table = 'planning_waitlist_entries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityDayId: number

  @column()
  declare activityId: number

  @column()
  declare childId: number

  @column()
  declare familyId: number

  @column()
  declare day: string

  @column()
  declare ageGroup: AgeGroup

  @column()
  declare requestedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>
}

import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import { Child } from '#modules/dossier/index'
import { Activity } from '#modules/inscriptions/index'
import { dateTimeColumn } from '#core/datetime_column'

/** A standing weekly booking of a child on an activity, until a day; stopped when `stoppedAt` is set. */
export default class WeeklyPattern extends compose(BaseModel, WithTimestamps) {
  static table = 'planning_weekly_patterns'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare childId: number

  @column()
  declare activityId: number

  /** ISO weekdays, 1 = Monday … 7 = Sunday, in order. */
  @column({
    prepare: (value: number[]) => JSON.stringify([...new Set(value)].sort()),
    consume: (value: string | number[]) => (typeof value === 'string' ? (JSON.parse(value) as number[]) : value),
  })
  declare weekdays: number[]

  @column()
  declare untilOn: string

  @column()
  declare createdBy: number | null

  @dateTimeColumn()
  declare stoppedAt: DateTime | null

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>

  @belongsTo(() => Activity)
  declare activity: BelongsTo<typeof Activity>

  get active() {
    return this.stoppedAt === null
  }
}

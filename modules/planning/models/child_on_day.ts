import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import { Child } from '#modules/dossier/index'
import type { AgeGroup } from '#modules/planning/models/activity_day'

/**
 * A child on one day of an activity, as a booking and a waiting-list entry both hold it (an
 * entry becomes a booking with the same values): the day, and copied from it and the child the
 * activity, family, date and age group, so that lists and counters need no join.
 * Used as `class X extends compose(BaseModel, ..., ChildOnDay)`.
 */
export function ChildOnDay<Model extends NormalizeConstructor<typeof BaseModel>>(superclass: Model) {
  class OnDay extends superclass {
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

    @belongsTo(() => Child)
    declare child: BelongsTo<typeof Child>
  }
  return OnDay
}

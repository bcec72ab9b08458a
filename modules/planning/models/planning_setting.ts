import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'
import { AgeGroupPlaces } from '#modules/planning/models/age_group_places'
import { parseDeadline, type DeadlineRule } from '#modules/planning/services/deadline_rules'
import type { HolidayMode } from '#modules/planning/services/day_generator'

export type RatioKind = 'holiday' | 'after_school'

/** Adults per child (DOMAIN.md): holiday centre 1/8 under 6 and 1/12 over; after school 1/10 and 1/14. */
export const RATIOS: Record<RatioKind, { label: string; under6: number; over6: number }> = {
  holiday: { label: 'Accueil de loisirs, vacances (1 adulte pour 8 moins de 6 ans, 1 pour 12 de 6 ans et plus)', under6: 8, over6: 12 },
  after_school: { label: 'Périscolaire, 5 h au plus (1 adulte pour 10 moins de 6 ans, 1 pour 14 de 6 ans et plus)', under6: 10, over6: 14 },
}

/** The planning rules of one activity: places, opening date, deadlines, holidays. */
export default class PlanningSetting extends compose(BaseModel, WithTimestamps, AgeGroupPlaces) {
  static table = 'planning_settings'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityId: number

  @column()
  declare ratioKind: RatioKind

  @column({ columnName: 'staff_under6' })
  declare staffUnder6: number

  @column({ columnName: 'staff_over6' })
  declare staffOver6: number

  @column()
  declare holidayMode: HolidayMode

  /** ISO day from which families may book; null: open now. */
  @column()
  declare bookingOpensOn: string | null

  @column({ prepare: (value: DeadlineRule) => JSON.stringify(value), consume: parseDeadline })
  declare bookingDeadline: DeadlineRule

  @column({ prepare: (value: DeadlineRule) => JSON.stringify(value), consume: parseDeadline })
  declare cancelDeadline: DeadlineRule
}

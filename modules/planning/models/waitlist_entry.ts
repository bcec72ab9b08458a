import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { ChildOnDay } from '#modules/planning/models/child_on_day'

/** A child waiting for a place on a full day; promoted in order (id) when a place frees. */
export default class WaitlistEntry extends compose(BaseModel, WithCreatedAt, ChildOnDay) {
  static table = 'planning_waitlist_entries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare requestedBy: number | null
}

import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import ActivityType from '#modules/inscriptions/models/activity_type'
import Registration from '#modules/inscriptions/models/registration'
import { parseList, parseNullableList, serializeList } from '#modules/inscriptions/models/json_list'
import { dateTimeColumn } from '#core/datetime_column'

/**
 * An activity of a type over a period ("Accueil du matin du 01/09 au 07/07"). Days are ISO
 * dates; `registered_count` counts validated registrations and never exceeds `places` (CHECK);
 * change it only through registration_service (one conditional UPDATE).
 */
export default class Activity extends compose(BaseModel, WithTimestamps) {
  static table = 'activities'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityTypeId: number

  @column()
  declare name: string

  /** First day, ISO AAAA-MM-JJ. */
  @column()
  declare startsOn: string

  /** Last day, ISO AAAA-MM-JJ. */
  @column()
  declare endsOn: string

  /** Minimum age in months on the desired start date (inclusive), null: no minimum. */
  @column()
  declare minAgeMonths: number | null

  /** Maximum age in months on the desired start date (inclusive), null: no maximum. */
  @column()
  declare maxAgeMonths: number | null

  /** School levels accepted ("PS", "MS", "GS", "CP"...); null: any level. */
  @column({ prepare: serializeList, consume: parseNullableList })
  declare schoolLevels: string[] | null

  /** Registration cap; null: unlimited. */
  @column()
  declare places: number | null

  @column()
  declare registeredCount: number

  @column()
  declare structureName: string | null

  @dateTimeColumn()
  declare registrationOpensAt: DateTime | null

  @dateTimeColumn()
  declare registrationClosesAt: DateTime | null

  /** Registration fee in cents (0: none). */
  @column()
  declare feeCents: number

  /** Indicative amount shown to parents (per unit), in cents; null: none. */
  @column()
  declare displayedAmountCents: number | null

  /** Requests are validated at once while places remain. */
  @column({ consume: (value) => Boolean(value) })
  declare autoAccept: boolean

  /** Clear days before the start a parent may still cancel online. */
  @column()
  declare cancellationDeadlineDays: number

  @column({
    prepare: serializeList,
    consume: (value) => parseList<string>(value),
  })
  declare requiredDocuments: string[]

  /** ISO weekdays the activity runs (1 = Monday ... 7 = Sunday), e.g. [1, 2, 4, 5]. */
  @column({
    prepare: (value: number[]) => JSON.stringify(value ?? []),
    consume: (value) => parseList<number>(value).map(Number),
  })
  declare weekdays: number[]

  /** What a booked unit is ("jour", "repas", "demi-journée"). */
  @column()
  declare unitLabel: string

  @belongsTo(() => ActivityType)
  declare activityType: BelongsTo<typeof ActivityType>

  @hasMany(() => Registration)
  declare registrations: HasMany<typeof Registration>

  /** Places left, or null when unlimited. */
  get placesLeft(): number | null {
    return this.places === null ? null : Math.max(0, this.places - this.registeredCount)
  }

  /** The amount shown to parents: the registration fee if any, else the displayed amount. */
  get shownAmountCents(): number | null {
    if (this.feeCents > 0) return this.feeCents
    return this.displayedAmountCents
  }
}

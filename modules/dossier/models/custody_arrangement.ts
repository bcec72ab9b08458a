import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import Child from '#modules/dossier/models/child'
import Family from '#modules/dossier/models/family'

/**
 * Shared custody of a child between its family and another household, alternating by ISO
 * week: `evenWeeksFamilyId` has the even weeks, the other household the odd ones, from
 * `startsOn` to `endsOn` (inclusive; null while it runs). Outside it, every day is the child's family's.
 */
export default class CustodyArrangement extends compose(BaseModel, WithTimestamps) {
  static table = 'custody_arrangements'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare childId: number

  @column()
  declare otherFamilyId: number

  @column()
  declare evenWeeksFamilyId: number

  /** ISO day AAAA-MM-JJ. */
  @column()
  declare startsOn: string

  @column()
  declare endsOn: string | null

  @column()
  declare createdBy: number | null

  @column()
  declare endedBy: number | null

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>

  @belongsTo(() => Family, { foreignKey: 'otherFamilyId' })
  declare otherFamily: BelongsTo<typeof Family>
}

import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import { PersonName } from '#modules/dossier/models/person_name'

export type Civility = 'Mme' | 'M.'
export const CIVILITIES: Civility[] = ['Mme', 'M.']

/** A legal guardian (responsable légal), first or second of the family; may hold an account. */
export default class Guardian extends compose(BaseModel, WithTimestamps, PersonName) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare civility: Civility | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare userId: number | null

  /** Birth identity, asked of API Particulier for the family quotient (null until the parent gives it). */
  @column()
  declare birthName: string | null

  /** Given names in civil-status order, separated by spaces (1 to 3). */
  @column()
  declare birthFirstNames: string | null

  @column()
  declare birthSex: 'F' | 'M' | null

  @column()
  declare birthDate: string | null

  @column()
  declare birthCountryCode: string | null

  @column()
  declare birthCommuneCode: string | null

  /** 1 or 2 (responsable 1, responsable 2). */
  @column()
  declare position: number

  @belongsTo(() => Family)
  declare family: BelongsTo<typeof Family>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}

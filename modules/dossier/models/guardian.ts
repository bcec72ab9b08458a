import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'

export type Civility = 'Mme' | 'M.'
export const CIVILITIES: Civility[] = ['Mme', 'M.']

/** A legal guardian (responsable légal), first or second of the family; may hold an account. */
export default class Guardian extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare civility: Civility | null

  @column()
  declare lastName: string

  @column()
  declare firstName: string

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare userId: number | null

  /** 1 or 2 (responsable 1, responsable 2). */
  @column()
  declare position: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => Family)
  declare family: BelongsTo<typeof Family>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  get fullName() {
    return `${this.firstName} ${this.lastName}`
  }
}

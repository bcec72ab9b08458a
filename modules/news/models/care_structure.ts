import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { User } from '#modules/accounts/index'

export default class CareStructure extends BaseModel {
  static table = 'news_care_structures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare address: string

  /** One line per number, e.g. "Accueil de loisirs : 06 29 93 85 45". */
  @column()
  declare phones: string

  @column()
  declare email: string | null

  @column()
  declare openingHours: string

  @column()
  declare ageGroups: string

  @column()
  declare position: number

  @column()
  declare authorId: number | null

  @column()
  declare updatedById: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'updatedById' })
  declare updatedBy: BelongsTo<typeof User>

  get phoneLines(): string[] {
    return this.phones.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  }

  get hourLines(): string[] {
    return this.openingHours.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  }
}

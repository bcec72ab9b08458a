import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Activity from '#modules/inscriptions/models/activity'

/** A kind of activity ("Accueil périscolaire", "Accueil de loisirs", "Restauration scolaire"). */
export default class ActivityType extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  /** Order in lists (smaller first). */
  @column()
  declare position: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Activity)
  declare activities: HasMany<typeof Activity>
}

import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import Activity from '#modules/inscriptions/models/activity'

/** A kind of activity ("Accueil périscolaire", "Accueil de loisirs", "Restauration scolaire"). */
export default class ActivityType extends compose(BaseModel, WithTimestamps) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  /** Order in lists (smaller first). */
  @column()
  declare position: number

  /** The commune's service running these activities (core table `services`), or null. */
  @column()
  declare serviceId: number | null

  @hasMany(() => Activity)
  declare activities: HasMany<typeof Activity>
}

import { BaseModel, beforeSave, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ServiceTopic from '#modules/messaging/models/service_topic'
import { toDate } from '#modules/messaging/models/stored_date'

/** A service of the commune (core table `services`): "Service Enfance"... */
export default class Service extends BaseModel {
  static table = 'services'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare email: string | null

  @column()
  declare position: number

  /** The core writes these rows with raw queries too (portal:setup): read any stored form. */
  @column({ consume: toDate })
  declare createdAt: Date | null

  @column({ consume: toDate })
  declare updatedAt: Date | null

  @beforeSave()
  static stamp(row: Service) {
    const now = new Date()
    if (!row.$isPersisted) row.createdAt = now
    row.updatedAt = now
  }

  @hasMany(() => ServiceTopic)
  declare topics: HasMany<typeof ServiceTopic>
}

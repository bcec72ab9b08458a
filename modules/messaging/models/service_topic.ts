import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import { toDate } from '#modules/messaging/models/stored_date'

/** A topic (thème) of a service (core table `service_topics`): "Remise de justificatif (absence,...)"... */
export default class ServiceTopic extends BaseModel {
  static table = 'service_topics'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare serviceId: number

  @column()
  declare name: string

  @column()
  declare position: number

  /** The core writes these rows with raw queries too (portal:setup): read any stored form. */
  @column({ consume: toDate })
  declare createdAt: Date | null

  @column({ consume: toDate })
  declare updatedAt: Date | null

  @beforeSave()
  static stamp(row: ServiceTopic) {
    const now = new Date()
    if (!row.$isPersisted) row.createdAt = now
    row.updatedAt = now
  }
}

import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

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

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}

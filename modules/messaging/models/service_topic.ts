import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { CoreTableTimestamps } from '#modules/messaging/models/stored_date'

/** A topic (thème) of a service (core table `service_topics`): "Remise de justificatif (absence,...)"... */
export default class ServiceTopic extends compose(BaseModel, CoreTableTimestamps) {
  static table = 'service_topics'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare serviceId: number

  @column()
  declare name: string

  @column()
  declare position: number
}

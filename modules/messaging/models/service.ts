import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ServiceTopic from '#modules/messaging/models/service_topic'
import { CoreTableTimestamps } from '#modules/messaging/models/stored_date'

/** A service of the commune (core table `services`): "Service Enfance"... */
export default class Service extends compose(BaseModel, CoreTableTimestamps) {
  static table = 'services'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare email: string | null

  @column()
  declare position: number

  @hasMany(() => ServiceTopic)
  declare topics: HasMany<typeof ServiceTopic>
}

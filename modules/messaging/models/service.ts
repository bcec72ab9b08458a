import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ServiceTopic from '#modules/messaging/models/service_topic'

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

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => ServiceTopic)
  declare topics: HasMany<typeof ServiceTopic>
}

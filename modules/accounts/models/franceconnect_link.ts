import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTimeColumn } from '#core/datetime_column'

/** The FranceConnect subject (sub) an account signs in with. */
export default class FranceconnectLink extends BaseModel {
  static table = 'franceconnect_links'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column({ serializeAs: null })
  declare sub: string

  @dateTimeColumn()
  declare linkedAt: DateTime
}

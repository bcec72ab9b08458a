import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { dateTimeColumn } from '#core/datetime_column'

export type TokenPurpose = 'activation' | 'password_reset' | 'email_change' | 'franceconnect_link'

/** A single-use link sent by mail; only the SHA-256 of its secret is stored. */
export default class AccountToken extends compose(BaseModel, WithCreatedAt) {
  static table = 'account_tokens'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare purpose: TokenPurpose

  @column({ serializeAs: null })
  declare tokenHash: string

  @column()
  declare payload: string | null

  @dateTimeColumn()
  declare expiresAt: DateTime

  @dateTimeColumn()
  declare usedAt: DateTime | null
}

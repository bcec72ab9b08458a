import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { WithTimestamps } from '#core/model_mixins'
import { DeviceRememberMeTokensProvider } from '#modules/accounts/services/device_tokens'
import { dateTimeColumn } from '#core/datetime_column'

/** `pickup`: a person a guardian authorized to pick the children up, with a read-only access. */
export type UserRole = 'parent' | 'staff' | 'admin' | 'pickup'
export type UserState = 'pending' | 'active' | 'disabled'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['username', 'email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, WithTimestamps, AuthFinder) {
  static rememberMeTokens = new DeviceRememberMeTokensProvider({ tokenableModel: User })

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare username: string

  @column()
  declare email: string | null

  @column()
  declare fullName: string

  @column({ serializeAs: null })
  declare password: string | null

  @column()
  declare role: UserRole

  @column()
  declare state: UserState

  @column()
  declare cguVersion: string | null

  @dateTimeColumn()
  declare cguAcceptedAt: DateTime | null

  @dateTimeColumn()
  declare activationSentAt: DateTime | null

  @dateTimeColumn()
  declare activationExpiresAt: DateTime | null

  @dateTimeColumn()
  declare activatedAt: DateTime | null

  @dateTimeColumn()
  declare lastLoginAt: DateTime | null

  get isStaff() {
    return this.role === 'staff' || this.role === 'admin'
  }

  get isAdmin() {
    return this.role === 'admin'
  }

  /** Reaches only the routes declared open to read-only accounts (#core/read_only_routes). */
  get isReadOnly() {
    return this.role === 'pickup'
  }
}

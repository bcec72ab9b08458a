import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'
import { DeviceRememberMeTokensProvider } from '#modules/accounts/services/device_tokens'
import { dateTimeColumn } from '#core/datetime_column'
import { hashInSlot } from '#modules/accounts/services/password_hashing'

/** `pickup`: a person a guardian authorized to pick the children up, with a read-only access. */
export type UserRole = 'parent' | 'staff' | 'admin' | 'pickup'
export type UserState = 'pending' | 'active' | 'disabled'

/** Each account's hash made beforehand by hashNewPassword, as `usePasswordHash` set it. */
const hashedBeforehand = new WeakMap<User, string>()

export default class User extends compose(BaseModel, WithTimestamps) {
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

  /**
   * A new password, hashed beforehand (hashNewPassword, outside the transaction that saves it).
   * A password set as plain text (seeders, tests) is hashed when saved, in a password slot.
   */
  usePasswordHash(hashed: string) {
    this.password = hashed
    hashedBeforehand.set(this, hashed)
  }

  @beforeSave()
  static async hashPassword(user: User) {
    if (!user.$dirty.password || user.password === null) return
    if (hashedBeforehand.get(user) === user.password) return
    user.password = await hashInSlot(user.password)
  }

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

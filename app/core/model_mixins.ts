import { DateTime } from 'luxon'
import { BaseModel } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import { dateTimeColumn } from '#core/datetime_column'

type ModelClass = NormalizeConstructor<typeof BaseModel>

/**
 * The `created_at` instant Lucid fills on insert, for rows never changed once written (tokens,
 * payments, history lines). Used as `class X extends compose(BaseModel, WithCreatedAt)`.
 */
export function WithCreatedAt<Model extends ModelClass>(superclass: Model) {
  class CreatedAt extends superclass {
    @dateTimeColumn({ autoCreate: true })
    declare createdAt: DateTime
  }
  return CreatedAt
}

/**
 * `created_at` and `updated_at`, the latter refreshed by Lucid on every save (nullable in the
 * tables). Used as `class X extends compose(BaseModel, WithTimestamps)`.
 */
export function WithTimestamps<Model extends ModelClass>(superclass: Model) {
  class Timestamps extends WithCreatedAt(superclass) {
    @dateTimeColumn({ autoCreate: true, autoUpdate: true })
    declare updatedAt: DateTime | null
  }
  return Timestamps
}

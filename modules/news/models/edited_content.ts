import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import { User } from '#modules/accounts/index'

/**
 * What every piece of content staff edit keeps: who wrote it, who changed it last, and when.
 * Used as `class X extends compose(BaseModel, EditedContent)`.
 */
export function EditedContent<Model extends NormalizeConstructor<typeof BaseModel>>(superclass: Model) {
  class WithEditors extends superclass {
    @column()
    declare authorId: number | null

    @column()
    declare updatedById: number | null

    @column.dateTime({ autoCreate: true })
    declare createdAt: DateTime

    @column.dateTime({ autoCreate: true, autoUpdate: true })
    declare updatedAt: DateTime | null

    @belongsTo(() => User, { foreignKey: 'authorId' })
    declare author: BelongsTo<typeof User>

    @belongsTo(() => User, { foreignKey: 'updatedById' })
    declare updatedBy: BelongsTo<typeof User>
  }
  return WithEditors
}

import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import { WithTimestamps } from '#core/model_mixins'
import { User } from '#modules/accounts/index'

type ModelClass = NormalizeConstructor<typeof BaseModel>

/**
 * What every piece of content staff put online keeps: who wrote it, and when.
 * Used as `class X extends compose(BaseModel, AuthoredContent)`.
 */
export function AuthoredContent<Model extends ModelClass>(superclass: Model) {
  class WithAuthor extends WithTimestamps(superclass) {
    @column()
    declare authorId: number | null

    @belongsTo(() => User, { foreignKey: 'authorId' })
    declare author: BelongsTo<typeof User>
  }
  return WithAuthor
}

/**
 * Content staff also edit after writing it keeps who changed it last.
 * Used as `class X extends compose(BaseModel, EditedContent)`.
 */
export function EditedContent<Model extends ModelClass>(superclass: Model) {
  class WithEditors extends AuthoredContent(superclass) {
    @column()
    declare updatedById: number | null

    @belongsTo(() => User, { foreignKey: 'updatedById' })
    declare updatedBy: BelongsTo<typeof User>
  }
  return WithEditors
}

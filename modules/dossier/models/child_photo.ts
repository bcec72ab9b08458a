import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'

/** A child's photo: the file is private in Drive under `storageKey`, without its metadata. */
export default class ChildPhoto extends compose(BaseModel, WithTimestamps) {
  static table = 'child_photos'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare childId: number

  @column()
  declare familyId: number

  @column()
  declare storageKey: string

  @column()
  declare mime: string

  @column()
  declare width: number

  @column()
  declare height: number

  @column()
  declare size: number

  @column()
  declare uploadedBy: number | null
}

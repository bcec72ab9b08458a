import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'

/** A file joined to a message, stored privately through Drive under storage_key. */
export default class Attachment extends compose(BaseModel, WithCreatedAt) {
  static table = 'messaging_attachments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare messageId: number

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare name: string

  @column()
  declare mime: string

  @column()
  declare size: number
}

import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'

/** A dated line of "Suivi de mes démarches", written by any module through history_service. */
export default class HistoryEntry extends compose(BaseModel, WithCreatedAt) {
  static table = 'family_history_entries'

  /** bigint: PostgreSQL returns it as a string. */
  @column({ isPrimary: true, consume: (value) => Number(value) })
  declare id: number

  @column()
  declare familyId: number

  /** The module that wrote it ('dossier', 'inscriptions', 'messaging'...). */
  @column()
  declare module: string

  /** A short machine key ('contact-updated', 'change-requested', 'inscription-requested'...). */
  @column()
  declare kind: string

  @column()
  declare text: string

  @column()
  declare link: string | null
}

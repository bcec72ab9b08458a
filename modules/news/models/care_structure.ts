import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { EditedContent } from '#modules/news/models/edited_content'

export default class CareStructure extends compose(BaseModel, EditedContent) {
  static table = 'news_care_structures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare address: string

  /** One line per number, e.g. "Accueil de loisirs : 06 29 93 85 45". */
  @column()
  declare phones: string

  @column()
  declare email: string | null

  @column()
  declare openingHours: string

  @column()
  declare ageGroups: string

  @column()
  declare position: number

  get phoneLines(): string[] {
    return this.phones.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  }

  get hourLines(): string[] {
    return this.openingHours.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  }
}

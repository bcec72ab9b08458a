import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'
import { PersonName } from '#modules/dossier/models/person_name'

/** Someone allowed to pick the children up, and/or to be called in an emergency. */
export default class AuthorizedPerson extends compose(BaseModel, WithTimestamps, PersonName) {
  static table = 'authorized_persons'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare phone: string

  @column()
  declare relationship: string | null

  @column({ consume: (value) => Boolean(value) })
  declare mayPickUp: boolean

  @column({ consume: (value) => Boolean(value) })
  declare emergencyContact: boolean
}

import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** Someone allowed to pick the children up, and/or to be called in an emergency. */
export default class AuthorizedPerson extends BaseModel {
  static table = 'authorized_persons'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare lastName: string

  @column()
  declare firstName: string

  @column()
  declare phone: string

  @column()
  declare relationship: string | null

  @column({ consume: (value) => Boolean(value) })
  declare mayPickUp: boolean

  @column({ consume: (value) => Boolean(value) })
  declare emergencyContact: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  get fullName() {
    return `${this.firstName} ${this.lastName}`
  }
}

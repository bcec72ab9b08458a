import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'

/**
 * The name of a person of the family's folder (a guardian, a child, someone authorised), and
 * how lists show it. Used as `class X extends compose(BaseModel, WithTimestamps, PersonName)`.
 */
export function PersonName<Model extends NormalizeConstructor<typeof BaseModel>>(superclass: Model) {
  class Named extends superclass {
    @column()
    declare lastName: string

    @column()
    declare firstName: string

    get fullName() {
      return `${this.firstName} ${this.lastName}`
    }
  }
  return Named
}

import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'

/**
 * Places by age group within the room's limit: an activity's settings hold them, and each day
 * generated from the settings starts with a copy. The columns are spelt out: the naming
 * strategy would write `capacity_under_6`.
 */
export function AgeGroupPlaces<Model extends NormalizeConstructor<typeof BaseModel>>(superclass: Model) {
  class Places extends superclass {
    @column()
    declare roomCapacity: number

    @column({ columnName: 'capacity_under6' })
    declare capacityUnder6: number

    @column({ columnName: 'capacity_over6' })
    declare capacityOver6: number
  }
  return Places
}

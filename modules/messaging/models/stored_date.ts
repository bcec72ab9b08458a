import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'

/** A timestamp as stored by any writer (Lucid's text, a JS Date, SQLite's epoch milliseconds). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(value as string | number)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * `created_at` and `updated_at` of a core table the core writes with raw queries too
 * (portal:setup): read in any stored form, stamped on every save.
 * Used as `class X extends compose(BaseModel, CoreTableTimestamps)`.
 */
export function CoreTableTimestamps<Model extends NormalizeConstructor<typeof BaseModel>>(superclass: Model) {
  class Stamped extends superclass {
    @column({ consume: toDate })
    declare createdAt: Date | null

    @column({ consume: toDate })
    declare updatedAt: Date | null

    @beforeSave()
    static stamp(row: Stamped) {
      const now = new Date()
      if (!row.$isPersisted) row.createdAt = now
      row.updatedAt = now
    }
  }
  return Stamped
}

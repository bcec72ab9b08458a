import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import { PersonName } from '#modules/dossier/models/person_name'
import Family from '#modules/dossier/models/family'
import { parisDayOf } from '#core/calendar_day'

export type Sex = 'F' | 'M'

function toList(value: unknown): string[] {
  if (!value) return []
  if (Array.isArray(value)) return value
  try {
    const parsed = JSON.parse(String(value))
    return Array.isArray(parsed) ? parsed.map(String) : []
  } catch {
    return []
  }
}

/**
 * A child of a family. Health data kept to what the service needs (CNIL): diet needs as a
 * free list ("sans porc", "sans gluten"), allergies, a PAI flag and its document; never the
 * nature of a disability.
 */
export default class Child extends compose(BaseModel, WithTimestamps, PersonName) {
  static table = 'children'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  /** Unique within the family (enfant_ref of imports). */
  @column()
  declare reference: string

  /** ISO day AAAA-MM-JJ. */
  @column()
  declare birthDate: string

  @column()
  declare sex: Sex | null

  @column()
  declare school: string | null

  @column()
  declare classLevel: string | null

  @column({
    prepare: (value: string[] | null) => (value && value.length ? JSON.stringify(value) : null),
    consume: toList,
  })
  declare dietNeeds: string[]

  @column()
  declare allergies: string | null

  @column({ consume: (value) => Boolean(value) })
  declare pai: boolean

  @column()
  declare paiDocumentId: number | null

  @column()
  declare doctorName: string | null

  @column()
  declare doctorPhone: string | null

  @column({ consume: (value) => Boolean(value) })
  declare vaccinationsUpToDate: boolean

  @column({ consume: (value) => Boolean(value) })
  declare imageRights: boolean

  @belongsTo(() => Family)
  declare family: BelongsTo<typeof Family>

  /** Age in whole years on a given ISO day (today by default, Europe/Paris). */
  ageOn(day: string = parisDayOf()): number {
    const birth = DateTime.fromISO(this.birthDate)
    return Math.floor(DateTime.fromISO(day).diff(birth, 'years').years)
  }
}

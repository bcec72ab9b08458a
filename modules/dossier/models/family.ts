import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import FamilyDocument from '#modules/dossier/models/family_document'
import { dateTimeColumn } from '#core/datetime_column'

export type QuotientSource = 'CAF' | 'MSA' | 'AUTRE'
export type Regime = 'CAF' | 'MSA' | 'AUTRE'

export const REGIMES: Regime[] = ['CAF', 'MSA', 'AUTRE']

export default class Family extends compose(BaseModel, WithTimestamps) {
  @column({ isPrimary: true })
  declare id: number

  /** The commune's reference of the household (famille_ref of imports), unique. */
  @column()
  declare reference: string

  @column()
  declare address: string | null

  @column()
  declare postalCode: string | null

  @column()
  declare city: string | null

  @column()
  declare phone: string | null

  @column()
  declare mobilePhone: string | null

  @column()
  declare email: string | null

  /** QF in whole euros; null means not on file (highest tariff). */
  @column()
  declare familyQuotient: number | null

  @column()
  declare quotientSource: QuotientSource | null

  /** ISO day (AAAA-MM-JJ) of the CAF/MSA certificate the QF comes from. */
  @column()
  declare quotientReferenceDate: string | null

  /** 'service' when staff set the QF (a fetched value never replaces it), 'api_particulier', or null. */
  @column()
  declare quotientOrigin: 'service' | 'api_particulier' | null

  @column()
  declare regime: Regime

  @column({ consume: (value) => Boolean(value) })
  declare resident: boolean

  @dateTimeColumn()
  declare lastActivityAt: DateTime | null

  @hasMany(() => Guardian)
  declare guardians: HasMany<typeof Guardian>

  @hasMany(() => Child)
  declare children: HasMany<typeof Child>

  @hasMany(() => AuthorizedPerson)
  declare authorizedPersons: HasMany<typeof AuthorizedPerson>

  @hasMany(() => FamilyDocument)
  declare documents: HasMany<typeof FamilyDocument>

  /** "Famille DUPONT" from the first guardian, or the reference. */
  get displayName(): string {
    const first = this.$preloaded.guardians as Guardian[] | undefined
    const guardian = first?.slice().sort((a, b) => a.position - b.position)[0]
    return guardian ? `Famille ${guardian.lastName.toLocaleUpperCase('fr-FR')}` : `Famille ${this.reference}`
  }
}

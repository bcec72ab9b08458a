import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import Child from '#modules/dossier/models/child'
import { dateTimeColumn } from '#core/datetime_column'

export type DocumentCategory = 'pai' | 'vaccinations' | 'attestation_qf' | 'justificatif_absence' | 'mandat_sepa' | 'autre'
export type DocumentOrigin = 'family' | 'service'
export type DocumentState = 'pending' | 'accepted' | 'refused'

export const DOCUMENT_CATEGORIES: Record<DocumentCategory, string> = {
  pai: "PAI (projet d'accueil individualisé)",
  vaccinations: 'Vaccinations',
  attestation_qf: 'Attestation de quotient familial',
  justificatif_absence: "Justificatif d'absence",
  mandat_sepa: 'Mandat de prélèvement SEPA',
  autre: 'Autre',
}

export const DOCUMENT_STATES: Record<DocumentState, string> = {
  pending: 'En attente de vérification',
  accepted: 'Accepté',
  refused: 'Refusé',
}

/** A file of the family's folder: sent by the family, or shared by the service. */
export default class FamilyDocument extends compose(BaseModel, WithTimestamps) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  @column()
  declare childId: number | null

  @column()
  declare category: DocumentCategory

  /** Display name (safe, no folders). */
  @column()
  declare name: string

  /** Drive key; never shown. */
  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare mime: string

  @column()
  declare size: number

  @column()
  declare origin: DocumentOrigin

  @column()
  declare state: DocumentState

  @column()
  declare refusalReason: string | null

  @column()
  declare uploadedBy: number | null

  @column()
  declare reviewedBy: number | null

  @dateTimeColumn()
  declare reviewedAt: DateTime | null

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>

  get categoryLabel() {
    return DOCUMENT_CATEGORIES[this.category] ?? this.category
  }

  get stateLabel() {
    return DOCUMENT_STATES[this.state] ?? this.state
  }
}

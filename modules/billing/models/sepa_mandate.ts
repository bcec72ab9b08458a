import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithTimestamps } from '#core/model_mixins'
import { dateTimeColumn } from '#core/datetime_column'

export type MandateStatus = 'active' | 'revoked' | 'replaced'
export type MandateSequence = 'FRST' | 'RCUR'

export const MANDATE_STATUS_LABELS: Record<MandateStatus, string> = {
  active: 'actif',
  revoked: 'révoqué',
  replaced: 'remplacé',
}

/**
 * A family's SEPA direct-debit mandate. The IBAN is stored encrypted (never serialized): pages
 * show `ibanMasked`; only the debit file (a later slice) decrypts it.
 */
export default class SepaMandate extends compose(BaseModel, WithTimestamps) {
  static table = 'sepa_mandates'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  /** Référence unique du mandat. */
  @column()
  declare rum: string

  @column()
  declare holderName: string

  @column({ serializeAs: null })
  declare ibanEncrypted: string

  @column()
  declare ibanMasked: string

  @column()
  declare bic: string | null

  @dateTimeColumn()
  declare signedAt: DateTime

  @column()
  declare signedByUserId: number | null

  @column()
  declare sequence: MandateSequence

  @column()
  declare status: MandateStatus

  @dateTimeColumn()
  declare endedAt: DateTime | null

  @column()
  declare endedByUserId: number | null

  @column()
  declare replacedById: number | null

  /** The signed mandate as a PDF in the family's documents (dossier). */
  @column()
  declare documentId: number | null

  get statusLabel() {
    return MANDATE_STATUS_LABELS[this.status]
  }
}

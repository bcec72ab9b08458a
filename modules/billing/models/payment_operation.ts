import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { AmountOnInvoice } from '#modules/billing/models/money_on_invoice'
import { dateTimeColumn } from '#core/datetime_column'

export type OperationState = 'pending' | 'paid' | 'refused' | 'abandoned' | 'expired'

export const OPERATION_STATE_LABELS: Record<OperationState, string> = {
  pending: 'en cours',
  paid: 'payé',
  refused: 'refusé',
  abandoned: 'abandonné',
  expired: 'expiré',
}

/** One attempt to pay an invoice online (a PayFiP idOp, alive 15 minutes). */
export default class PaymentOperation extends compose(BaseModel, WithCreatedAt, AmountOnInvoice) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number | null

  @column()
  declare provider: string

  @column()
  declare idOp: string | null

  @column()
  declare refdet: string

  @column()
  declare state: OperationState

  /** P, V, R, Z or A as PayFiP returns it. */
  @column()
  declare resultCode: string | null

  @column()
  declare authorizationNumber: string | null

  @dateTimeColumn()
  declare expiresAt: DateTime

  @dateTimeColumn()
  declare settledAt: DateTime | null
}

import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type OperationState = 'pending' | 'paid' | 'refused' | 'abandoned' | 'expired'

export const OPERATION_STATE_LABELS: Record<OperationState, string> = {
  pending: 'en cours',
  paid: 'payé',
  refused: 'refusé',
  abandoned: 'abandonné',
  expired: 'expiré',
}

/** One attempt to pay an invoice online (a PayFiP idOp, alive 15 minutes). */
export default class PaymentOperation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare invoiceId: number

  @column()
  declare familyId: number

  @column()
  declare userId: number | null

  @column()
  declare provider: string

  @column()
  declare idOp: string | null

  @column()
  declare refdet: string

  @column()
  declare amountCents: number

  @column()
  declare state: OperationState

  /** P, V, R, Z or A as PayFiP returns it. */
  @column()
  declare resultCode: string | null

  @column()
  declare authorizationNumber: string | null

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare settledAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}

import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { METHOD_LABELS, type PaymentMethod } from '#modules/billing/models/payment'

/** Money received beyond what an invoice asked for (a second PayFiP success): to refund, never counted as paid. */
export default class Overpayment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare invoiceId: number

  @column()
  declare familyId: number

  @column()
  declare method: PaymentMethod

  @column()
  declare amountCents: number

  @column()
  declare idOp: string | null

  @column()
  declare receivedOn: string

  @column.dateTime()
  declare refundedAt: DateTime | null

  @column()
  declare refundedBy: number | null

  @column()
  declare refundReference: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get methodLabel() {
    return METHOD_LABELS[this.method]
  }
}

import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { ReceivedMoney } from '#modules/billing/models/money_on_invoice'

/** Money received for an invoice: online (one per idOp) or at the counter (with a receipt number). */
export default class Payment extends compose(BaseModel, WithCreatedAt, ReceivedMoney) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare receiptNumber: string | null

  @column()
  declare paidOn: string

  @column()
  declare recordedBy: number | null

  /** The day the bank rejected the debit this payment came from: the money never arrived. */
  @column()
  declare reversedOn: string | null
}

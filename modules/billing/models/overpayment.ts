import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { ReceivedMoney } from '#modules/billing/models/money_on_invoice'
import { dateTimeColumn } from '#core/datetime_column'

/** Money received beyond what an invoice asked for (a second PayFiP success): to refund, never counted as paid. */
export default class Overpayment extends compose(BaseModel, WithCreatedAt, ReceivedMoney) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare receivedOn: string

  @dateTimeColumn()
  declare refundedAt: DateTime | null

  @column()
  declare refundedBy: number | null

  @column()
  declare refundReference: string | null
}

import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { AmountOnInvoice } from '#modules/billing/models/money_on_invoice'

/** An avoir: the only way to correct an issued invoice, with its reason. */
export default class CreditNote extends compose(BaseModel, WithCreatedAt, AmountOnInvoice) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare number: string

  @column()
  declare reason: string

  @column()
  declare createdBy: number | null
}

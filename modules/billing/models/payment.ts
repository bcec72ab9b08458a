import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type PaymentMethod = 'card' | 'debit' | 'cheque' | 'cash' | 'cesu'

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  card: 'Carte bancaire (PayFiP)',
  debit: 'Prélèvement (PayFiP)',
  cheque: 'Chèque',
  cash: 'Espèces',
  cesu: 'CESU',
}

/** Money received for an invoice: online (one per idOp) or at the counter (with a receipt number). */
export default class Payment extends BaseModel {
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
  declare receiptNumber: string | null

  @column()
  declare paidOn: string

  @column()
  declare recordedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get methodLabel() {
    return METHOD_LABELS[this.method]
  }
}

import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'

type ModelClass = NormalizeConstructor<typeof BaseModel>

export type PaymentMethod = 'card' | 'debit' | 'sepa' | 'cheque' | 'cash' | 'cesu'

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  card: 'Carte bancaire (PayFiP)',
  debit: 'Prélèvement (PayFiP)',
  sepa: 'Prélèvement automatique',
  cheque: 'Chèque',
  cash: 'Espèces',
  cesu: 'CESU',
}

/**
 * Money recorded against one invoice (a credit note, a payment, an overpayment, an online
 * payment attempt): the invoice, its family (a family's lists need no join) and the amount in
 * cents. Used as `class X extends compose(BaseModel, WithCreatedAt, AmountOnInvoice)`.
 */
export function AmountOnInvoice<Model extends ModelClass>(superclass: Model) {
  class OnInvoice extends superclass {
    @column()
    declare invoiceId: number

    @column()
    declare familyId: number

    @column()
    declare amountCents: number
  }
  return OnInvoice
}

/**
 * Money actually received for an invoice, counted as paid (a payment) or to refund (an
 * overpayment): also how it came, and online the PayFiP operation it came from.
 */
export function ReceivedMoney<Model extends ModelClass>(superclass: Model) {
  class Received extends AmountOnInvoice(superclass) {
    @column()
    declare method: PaymentMethod

    @column()
    declare idOp: string | null

    get methodLabel() {
      return METHOD_LABELS[this.method]
    }
  }
  return Received
}

/** What the billing module needs from an online payment provider (PayFiP today). */
export interface PaymentRequest {
  /** Budget year of the debt (exer). */
  year: number
  email: string
  amountCents: number
  /** Words shown on the payment page (≤ 100 plain characters once cleaned). */
  object: string
  /** The debt's reference: 1–30 letters and digits. */
  reference: string
  notifyUrl: string
  returnUrl: string
}

export interface CreatedOperation {
  idOp: string
  /** Where to send the parent's browser. */
  paymentUrl: string
}

/** paid (card or debit), refused (card or debit), abandoned, or not known yet. */
export type OperationOutcome = 'paid' | 'refused' | 'abandoned' | 'pending'

export interface OperationDetail {
  idOp: string
  outcome: OperationOutcome
  /** The provider's own code (P, V, R, Z, A), null while pending. */
  code: string | null
  amountCents: number | null
  reference: string | null
  authorizationNumber: string | null
  /** 'card' or 'debit' when paid. */
  method: 'card' | 'debit' | null
}

export class PaymentProviderError extends Error {
  constructor(
    message: string,
    public code: string | null = null
  ) {
    super(message)
    this.name = 'PaymentProviderError'
  }
}

export interface PaymentDriver {
  readonly name: string
  create(request: PaymentRequest): Promise<CreatedOperation>
  /** The payment page of an operation already created. */
  paymentPageUrl(idOp: string): string
  /** Re-reads an operation at the provider (the notification itself is not trusted). */
  detail(idOp: string): Promise<OperationDetail>
}

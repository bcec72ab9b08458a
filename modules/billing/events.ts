/**
 * What the billing module announces, after the change is committed. Messaging may listen (a
 * notice in the family's inbox, a mail); billing never imports it.
 */
export interface InvoiceIssued {
  familyId: number
  invoiceId: number
  invoiceNumber: string
  totalCents: number
  /** ISO day. */
  dueDate: string
  /** AAAA-MM */
  month: string
  /** ISO day the invoice is debited (SEPA mandate), null when the family pays otherwise. */
  directDebitOn: string | null
}

export interface PaymentReceived {
  familyId: number
  invoiceId: number
  invoiceNumber: string
  amountCents: number
  method: string
  /** true once nothing is left to pay on the invoice. */
  settled: boolean
}

export interface CreditNoteIssued {
  familyId: number
  invoiceId: number
  invoiceNumber: string
  creditNoteNumber: string
  amountCents: number
  reason: string
}

/** The bank rejected an invoice's debit (pain.002 imported): the family pays it another way. */
export interface DebitRejected {
  familyId: number
  invoiceId: number
  invoiceNumber: string
  amountCents: number
  /** ISO day of the debit that was rejected. */
  debitedOn: string
  /** Why, in words (never the R-code). */
  reason: string
  leftToPayCents: number
  /** ISO day. */
  dueDate: string
  /** The invoice's page, where PAYER pays it online. */
  payUrl: string
}

/** The debits one bank return file rejected, announced together once applied (500 at most an event). */
export interface DebitsRejected {
  rejections: DebitRejected[]
}

/** The invoices of one batch of an invoice run (100 at most), announced together once written. */
export interface InvoicesIssued {
  invoices: InvoiceIssued[]
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'billing:invoices-issued': InvoicesIssued
    'billing:payment-received': PaymentReceived
    'billing:credit-note-issued': CreditNoteIssued
    'billing:debits-rejected': DebitsRejected
  }
}

/**
 * The billing module's face: the only file other modules import. No other module uses
 * billing today (messaging hears its events through the emitter); the event types are its
 * public contract. Everything else in modules/billing/ is private (a lint rule refuses deep imports).
 */
export type { InvoiceIssued, PaymentReceived, CreditNoteIssued } from './events.js'

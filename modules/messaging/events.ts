/**
 * What messaging hears from the other modules, by event name only: it never imports them, so
 * it works whether they are on or off. The payloads are declared here as messaging relies on
 * them; EventsList is not augmented, so the announcing modules stay the owners of their types.
 */
export interface RegistrationEvent {
  registrationId: number
  familyId: number
  childId: number
  activityId: number
  childFirstName: string
  activityName: string
  reason?: string | null
  /** Inscriptions already mailed each guardian about this decision: no second mail. */
  familyMailed?: boolean
}

export interface PlanningPromoted {
  familyId: number
  childFirstName: string
  activityName: string
  /** ISO day */
  date: string
}

export interface PlanningPatternRefused {
  familyId: number
  childFirstName: string
  activityName: string
  weekdaysText: string
  bookedCount: number
  /** ISO days, each with its reason in the parent's words. */
  refused: { date: string; reason: string }[]
}

export interface PlanningOfferMade {
  familyId: number
  childFirstName: string
  activityName: string
  /** ISO day */
  date: string
  /** ISO instant (UTC) until which the place is held. */
  expiresAt: string
  /** Absolute address of the offer page. */
  url: string
}

export interface PlanningBookingReminders {
  reminders: {
    familyId: number
    activityName: string
    childFirstNames: string[]
    /** ISO Monday and Sunday of the week. */
    periodStart: string
    periodEnd: string
    /** ISO instant (UTC) */
    deadline: string
    url: string
  }[]
}

export interface InvoiceIssued {
  familyId: number
  invoiceNumber: string
  totalCents: number
  /** ISO day */
  dueDate: string
  /** ISO day of the SEPA debit, when the family pays by direct debit (the pre-notification). */
  directDebitOn?: string | null
}

export interface PaymentReceived {
  familyId: number
  invoiceNumber: string
  amountCents: number
}

export interface DebitRejected {
  familyId: number
  invoiceNumber: string
  amountCents: number
  /** ISO day of the rejected debit. */
  debitedOn: string
  /** Why, in words. */
  reason: string
  leftToPayCents: number
  /** ISO day */
  dueDate: string
  payUrl: string
}

export interface ChangeRequested {
  familyId: number
  userId: number | null
  topic: string
  message: string
  subject: string
  childId: number | null
  historyEntryId?: number
}

export interface HeardEvents {
  'inscription:requested': RegistrationEvent
  'inscription:validated': RegistrationEvent
  'inscription:refused': RegistrationEvent
  'inscription:cancelled': RegistrationEvent
  'inscription:promoted': RegistrationEvent
  'planning:promoted': PlanningPromoted
  'planning:patterns-refused': { reports: PlanningPatternRefused[] }
  'planning:offer-made': PlanningOfferMade
  'planning:booking-reminders': PlanningBookingReminders
  'billing:invoices-issued': { invoices: InvoiceIssued[] }
  'billing:payment-received': PaymentReceived
  'billing:debits-rejected': { rejections: DebitRejected[] }
  'dossier:change-requested': ChangeRequested
}

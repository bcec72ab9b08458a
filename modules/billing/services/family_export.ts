import { User } from '#modules/accounts/index'
import type { ExportSection } from '#modules/dossier/index'
import Invoice from '#modules/billing/models/invoice'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import mandateService from '#modules/billing/services/sepa/mandate_service'

/** "45.20": amounts of a file as decimal strings, from integer cents. */
const decimal = (cents: number) => (cents / 100).toFixed(2)

/**
 * Billing's part of the family's RGPD export (the `dossier.export-section` contribution): every
 * SEPA mandate with its IBAN in full — the export is the person's own data, made on demand from
 * the encrypted column — and a summary of the invoices with their payments and credit notes.
 * Null when billing keeps nothing about the family.
 */
export default async function familyExportSection(familyId: number): Promise<ExportSection | null> {
  const mandates = await SepaMandate.query().where('family_id', familyId).orderBy('signed_at').orderBy('id')
  const invoices = await Invoice.query()
    .where('family_id', familyId)
    .preload('payments', (query) => query.orderBy('paid_on').orderBy('id'))
    .preload('creditNotes', (query) => query.orderBy('id'))
    .orderBy('issued_on')
    .orderBy('id')
  if (!mandates.length && !invoices.length) return null
  const signerIds = [...new Set(mandates.map((mandate) => mandate.signedByUserId).filter((id): id is number => id !== null))]
  const signers = new Map((signerIds.length ? await User.query().whereIn('id', signerIds) : []).map((user) => [user.id, user.fullName]))
  return {
    sepaMandates: mandates.map((mandate) => ({
      rum: mandate.rum,
      holderName: mandate.holderName,
      // Null only if the application key changed since the signature (the IBAN can no longer be read).
      iban: mandateService.iban(mandate),
      bic: mandate.bic,
      status: mandate.statusLabel,
      sequence: mandate.sequence,
      signedAt: mandate.signedAt.toISO(),
      signedBy: mandate.signedByUserId === null ? null : (signers.get(mandate.signedByUserId) ?? null),
      endedAt: mandate.endedAt?.toISO() ?? null,
    })),
    invoices: invoices.map((invoice) => ({
      number: invoice.number,
      month: invoice.month,
      issuedOn: invoice.issuedOn,
      dueDate: invoice.dueDate,
      totalEuros: decimal(invoice.totalCents),
      creditedEuros: decimal(invoice.creditedCents),
      paidEuros: decimal(invoice.paidCents),
      balanceEuros: decimal(invoice.balanceCents),
      state: invoice.stateLabel,
      payments: invoice.payments.map((payment) => ({ paidOn: payment.paidOn, method: payment.methodLabel, amountEuros: decimal(payment.amountCents), reversedOn: payment.reversedOn })),
      creditNotes: invoice.creditNotes.map((note) => ({ number: note.number, reason: note.reason, amountEuros: decimal(note.amountCents) })),
    })),
  }
}

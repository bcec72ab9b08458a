import db from '@adonisjs/lucid/services/db'
import { rejectReasonForStaff, rejectReasonText } from '#modules/billing/services/sepa/reject_reasons'
import { formatDate } from '#core/format'

/** An invoice's debit the bank rejected (imported from its pain.002 report). */
export interface RejectedDebit {
  /** ISO day of the debit. */
  debitedOn: string
  /** ISO day of the bank's report. */
  rejectedOn: string
  amountCents: number
  code: string | null
}

/** The rejected debit of this invoice, if its debit came back. */
export async function rejectedDebit(invoiceId: number): Promise<RejectedDebit | null> {
  const row = await db
    .from('sepa_debit_lines')
    .join('sepa_debit_batches', 'sepa_debit_batches.id', 'sepa_debit_lines.batch_id')
    .where('sepa_debit_lines.invoice_id', invoiceId)
    .whereNotNull('sepa_debit_lines.rejected_on')
    .select('sepa_debit_batches.collection_date', 'sepa_debit_lines.rejected_on', 'sepa_debit_lines.amount_cents', 'sepa_debit_lines.rejection_code')
    .first()
  if (!row) return null
  return { debitedOn: row.collection_date, rejectedOn: row.rejected_on, amountCents: Number(row.amount_cents), code: row.rejection_code }
}

/** "Le prélèvement du 10/11/2026 a été rejeté : la provision du compte était insuffisante …" (the family's words). */
export function rejectionSentence(rejected: RejectedDebit): string {
  return `Le prélèvement du ${formatDate(rejected.debitedOn)} a été rejeté : ${rejectReasonText(rejected.code)}. Cette facture se paie maintenant en ligne ou au guichet.`
}

/** Staff read the code too, and the day of the bank's report. */
export function rejectionSentenceForStaff(rejected: RejectedDebit): string {
  return `Le prélèvement du ${formatDate(rejected.debitedOn)} a été rejeté (compte rendu de la banque du ${formatDate(rejected.rejectedOn)}) : ${rejectReasonForStaff(rejected.code)}. Le mandat repart en premier prélèvement (FRST).`
}

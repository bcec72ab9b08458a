import db from '@adonisjs/lucid/services/db'
import type Invoice from '#modules/billing/models/invoice'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import { formatMoney, formatDate } from '#core/format'

/** What the family is told about an invoice paid by direct debit. */
export interface PlannedDebit {
  /** ISO day of the debit. */
  on: string
  amountCents: number
  ibanMasked: string
  rum: string
  /** The debit is in a file already handed to the bank. */
  sent: boolean
}

/**
 * The debit that will pay this invoice, or null when it is paid otherwise: issued under a
 * mandate, something left to pay, and either already in a debit file or its family's mandate
 * still active (a replaced mandate hands over to the new one; a revoked one ends the debit,
 * the invoice is paid online or at the counter again).
 */
export async function plannedDebit(invoice: Invoice): Promise<PlannedDebit | null> {
  if (!invoice.debitMandateId || !invoice.debitOn) return null
  const sent = await sentDebit(invoice.id)
  if (sent) return { on: sent.collection_date, amountCents: Number(sent.amount_cents), ibanMasked: sent.iban_masked, rum: sent.rum, sent: true }
  if (invoice.balanceCents <= 0) return null
  // Issued after the month's debit file was made: not in it, so paid online or at the counter.
  if (await db.from('sepa_debit_batches').where('month', invoice.month).first()) return null
  const mandate = await SepaMandate.query().where('family_id', invoice.familyId).where('status', 'active').first()
  if (!mandate) return null
  return { on: invoice.debitOn, amountCents: invoice.balanceCents, ibanMasked: mandate.ibanMasked, rum: mandate.rum, sent: false }
}

/** The debit file line of an invoice, once sent (the batches of the debit run). */
async function sentDebit(invoiceId: number) {
  return db
    .from('sepa_debit_lines')
    .join('sepa_debit_batches', 'sepa_debit_batches.id', 'sepa_debit_lines.batch_id')
    .join('sepa_mandates', 'sepa_mandates.id', 'sepa_debit_lines.mandate_id')
    .where('sepa_debit_lines.invoice_id', invoiceId)
    .select('sepa_debit_batches.collection_date', 'sepa_debit_lines.amount_cents', 'sepa_mandates.iban_masked', 'sepa_mandates.rum')
    .first()
}

/** "Cette facture sera prélevée le 10/11/2026 : 12,20 € sur le compte FR76 •••• … 189." */
export function debitSentence(debit: PlannedDebit): string {
  return debit.sent
    ? `Le prélèvement de cette facture est transmis à la banque : ${formatMoney(debit.amountCents)} prélevés le ${formatDate(debit.on)} sur le compte ${debit.ibanMasked} (mandat ${debit.rum}).`
    : `Cette facture sera prélevée le ${formatDate(debit.on)} : ${formatMoney(debit.amountCents)} sur le compte ${debit.ibanMasked} (mandat ${debit.rum}).`
}

/** Why "PAYER" is refused for an invoice paid by direct debit. */
export function notPayableOnline(debit: PlannedDebit): string {
  return debit.sent
    ? `Le prélèvement de cette facture (${formatMoney(debit.amountCents)} le ${formatDate(debit.on)}) est déjà transmis à la banque : elle ne peut pas être payée en ligne.`
    : `Cette facture sera prélevée le ${formatDate(debit.on)} (prélèvement automatique) : elle ne peut pas aussi être payée en ligne. Pour la payer autrement, révoquez d'abord votre mandat de prélèvement.`
}

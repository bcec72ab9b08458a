import type { MandateSequence } from '#modules/billing/models/sepa_mandate'

/** An invoice of the month that direct debit may concern, as read from the database. */
export interface DebitCandidate {
  invoiceId: number
  invoiceNumber: string
  familyId: number
  familyName: string
  balanceCents: number
  /** The debit day announced when it was issued; null when issued without a mandate. */
  debitOn: string | null
  /** The family's active mandate now (a replaced mandate hands over to the new one). */
  activeMandate: { id: number; rum: string; sequence: MandateSequence } | null
  /** The batch that already carries this invoice. */
  sentIn: { messageId: string; collectionDate: string } | null
}

export interface IncludedDebit extends DebitCandidate {
  activeMandate: NonNullable<DebitCandidate['activeMandate']>
  debitOn: string
  amountCents: number
  sequence: MandateSequence
}

export interface ExcludedDebit extends DebitCandidate {
  reason: string
}

const day = (iso: string) => iso.split('-').reverse().join('/')

/**
 * Which invoices of a month go into its debit batch, with their sequence, and why the others
 * do not. FRST for a mandate never debited or debited again after a rejection (the mandate's
 * sequence state), RCUR otherwise. Pure.
 */
export function sortDebits(candidates: DebitCandidate[], options: { monthBatch: string | null } = { monthBatch: null }) {
  const included: IncludedDebit[] = []
  const excluded: ExcludedDebit[] = []
  for (const candidate of candidates) {
    const reason = exclusionReason(candidate, options.monthBatch)
    if (reason) excluded.push({ ...candidate, reason })
    else included.push({ ...(candidate as IncludedDebit), amountCents: candidate.balanceCents, sequence: candidate.activeMandate!.sequence })
  }
  return { included, excluded, totalCents: included.reduce((sum, debit) => sum + debit.amountCents, 0) }
}

function exclusionReason(candidate: DebitCandidate, monthBatch: string | null): string | null {
  if (candidate.sentIn) return `déjà envoyée à la banque dans le lot ${candidate.sentIn.messageId} (prélèvement du ${day(candidate.sentIn.collectionDate)})`
  if (candidate.balanceCents <= 0) return 'rien à prélever : facture réglée ou annulée par avoir'
  if (!candidate.debitOn) {
    return candidate.activeMandate ? "mandat signé après l'émission de la facture : elle se paie en ligne ou au guichet" : "pas de mandat actif à l'émission de la facture"
  }
  if (!candidate.activeMandate) return "mandat révoqué depuis l'émission de la facture : elle se paie en ligne ou au guichet"
  if (monthBatch) return `facture émise après le fichier de prélèvement du mois (lot ${monthBatch}) : elle se paie en ligne ou au guichet`
  return null
}

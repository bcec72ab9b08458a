import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { MandateSequence } from '#modules/billing/models/sepa_mandate'
import { BillingError } from '#modules/billing/services/billing_error'
import { monthLabel } from '#modules/billing/services/billing_month'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { sortDebits, type DebitCandidate, type IncludedDebit } from '#modules/billing/services/sepa/debit_batch_rules'
import { writePain008Sharing, type Pain008Batch, type Pain008Transaction } from '#modules/billing/services/sepa/pain008_writer'
import { LoopShare } from '#core/loop_share'
import type { HistoryLine } from '#modules/dossier/index'
import { formatMoney, plural } from '#core/french'
import { formatDate } from '#core/format'
import { packXml } from '#modules/billing/services/stored_xml'

/*
 * A month's SEPA batch before it is recorded (services/sepa/debit_batch_service.ts records it):
 * the invoices it would carry, read; then its lines, its pain.008 file and its history lines,
 * prepared outside any transaction, the event loop given back every few milliseconds.
 */

/** The bank needs the file before the collection day: the D-2 business days rule, simplified to 2 calendar days. */
export const MIN_DAYS_BEFORE_COLLECTION = 2

/** A refusal about the collection date (the form shows it beside the field). */
export class CollectionDateError extends BillingError {}

/** Between its preparation and its transaction, the month's debits have changed: prepared again. */
export class MovedSincePrepared extends Error {}

/** A batch ready to be recorded: its debits (as JSON, compared again in the transaction), its lines and its file. */
export interface PreparedBatch {
  month: string
  included: string
  excludedCount: number
  totalCents: number
  collectionDate: string
  messageId: string
  transactions: (Pain008Transaction & { debit: IncludedDebit })[]
  xml: string
  /** The file as its row keeps it (services/stored_xml.ts). */
  storedXml: string
  /** Each family's history line « transmis à la banque », written with the batch. */
  history: Array<{ familyId: number; line: HistoryLine }>
}

  /** The month's invoices under debit, and those of families with an active mandate. */
export async function debitCandidates(client: QueryClientContract, month: string): Promise<DebitCandidate[]> {
  const rows = await client
    .from('invoices')
    .leftJoin('sepa_mandates', (join) => join.on('sepa_mandates.family_id', 'invoices.family_id').andOnVal('sepa_mandates.status', 'active'))
    .leftJoin('sepa_debit_lines', 'sepa_debit_lines.invoice_id', 'invoices.id')
    .leftJoin('sepa_debit_batches', 'sepa_debit_batches.id', 'sepa_debit_lines.batch_id')
    .where('invoices.month', month)
    .where((query) => query.whereNotNull('invoices.debit_mandate_id').orWhereNotNull('sepa_mandates.id'))
    .orderBy('invoices.sequence')
    .select(
      'invoices.id',
      'invoices.number',
      'invoices.family_id',
      'invoices.family_name',
      'invoices.total_cents',
      'invoices.credited_cents',
      'invoices.paid_cents',
      'invoices.debit_on',
      'sepa_mandates.id as mandate_id',
      'sepa_mandates.rum',
      'sepa_mandates.sequence',
      'sepa_debit_batches.message_id',
      'sepa_debit_batches.collection_date'
    )
  return rows.map((row) => ({
    invoiceId: Number(row.id),
    invoiceNumber: row.number,
    familyId: Number(row.family_id),
    familyName: row.family_name,
    balanceCents: Math.max(0, Number(row.total_cents) - Number(row.credited_cents) - Number(row.paid_cents)),
    debitOn: row.debit_on,
    activeMandate: row.mandate_id ? { id: Number(row.mandate_id), rum: row.rum, sequence: row.sequence as MandateSequence } : null,
    sentIn: row.message_id ? { messageId: row.message_id, collectionDate: row.collection_date } : null,
  }))
}

/** The month's debits as a batch would carry them, checked, and its file. */
export async function prepareBatch(month: string, options: { wanted: string | null; earliest: string; creditor: Pain008Batch['creditor'] }): Promise<PreparedBatch> {
  const share = new LoopShare()
  const { wanted, earliest } = options
  const { included, excluded, totalCents } = sortDebits(await debitCandidates(db.connection(), month))
  if (!included.length) {
    throw new BillingError(
      `Rien à prélever pour ${monthLabel(month)} : ${excluded.length ? `${plural(excluded.length, 'facture écartée', 'factures écartées')} (voir l’aperçu)` : 'aucune facture de ce mois n’est payée par prélèvement'}.`
    )
  }
  const planned = latestDebitDay(included)!
  const collectionDate = wanted ?? planned
  if (collectionDate < earliest) {
    throw new CollectionDateError(
      wanted
        ? `La date de prélèvement du ${formatDate(wanted)} est trop proche : au plus tôt le ${formatDate(earliest)} (la banque doit recevoir le fichier ${MIN_DAYS_BEFORE_COLLECTION} jours avant).`
        : `La date annoncée aux familles (le ${formatDate(planned)}) est passée ou trop proche : indiquez une date de prélèvement à partir du ${formatDate(earliest)}.`
    )
  }
  if (collectionDate < planned)
    throw new CollectionDateError(`Les familles ont été prévenues d’un prélèvement le ${formatDate(planned)} : la date de prélèvement ne peut pas être plus tôt.`)

  const mandates = await mandateService.debitMandates(
    db.connection(),
    included.map((debit) => debit.activeMandate.id),
    share
  )
  const now = DateTime.now().setZone('Europe/Paris')
  const messageId = `PF-${month.replace('-', '')}-${now.toFormat('yyyyMMddHHmmss')}`
  const label = monthLabel(month)
  const transactions: PreparedBatch['transactions'] = []
  for (const debit of included) {
    await share.turn()
    const mandate = mandates.get(debit.activeMandate.id)!
    transactions.push({
      debit,
      endToEndId: `FAC-${debit.invoiceNumber}`,
      amountCents: debit.amountCents,
      sequence: debit.sequence,
      rum: mandate.rum,
      signedOn: mandate.signedOn,
      debtorName: mandate.holderName,
      iban: mandateService.iban(mandate)!,
      bic: mandate.bic,
      remittance: `Facture ${debit.invoiceNumber} ${label}`,
    })
  }
  const xml = await writePain008Sharing({ messageId, createdAt: now.toFormat("yyyy-MM-dd'T'HH:mm:ss"), collectionDate, creditor: options.creditor, transactions }, share)
  const history: PreparedBatch['history'] = []
  for (const item of transactions) {
    await share.turn()
    history.push({
      familyId: item.debit.familyId,
      line: {
        module: 'billing',
        kind: 'sepa-debit-sent',
        text: `Prélèvement de ${formatMoney(item.amountCents)} pour la facture n° ${item.debit.invoiceNumber} transmis à la banque : il sera prélevé le ${formatDate(collectionDate)} (mandat ${item.rum})`,
        link: router.makeUrl('billing.invoices.show', { id: item.debit.invoiceId }),
      },
    })
  }
  const storedXml = await packXml(xml)
  return { month, included: JSON.stringify(included), excludedCount: excluded.length, totalCents, collectionDate, messageId, transactions, xml, storedXml, history }
}

/** The day the families were told their debit would be taken: the latest of the batch's. */
export function latestDebitDay(debits: IncludedDebit[]): string | null {
  return debits.reduce<string | null>((latest, debit) => (!latest || debit.debitOn > latest ? debit.debitOn : latest), null)
}

import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { MandateSequence } from '#modules/billing/models/sepa_mandate'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { chunks } from '#core/chunks'
import { BillingError } from '#modules/billing/services/billing_error'
import type { LoopShare } from '#core/loop_share'
import type { PesDebit, PesDebtor, PesLine } from '#modules/billing/services/pes/pes_writer'

/*
 * What the PES file needs from the database, read before the export's short transaction, the
 * event loop given back between slices (`share`): the month's
 * invoices and credit notes not yet carried by an export, their lines, the paying guardian and
 * the family's address, the SEPA mandate paying each invoice under direct debit.
 */

export interface InvoiceRow {
  id: number
  familyId: number
  number: string
  month: string
  totalCents: number
}

export interface CreditNoteRow {
  id: number
  invoiceId: number
  familyId: number
  number: string
  reason: string
  amountCents: number
  invoiceNumber: string
}

function notExported(trx: QueryClientContract, column: 'invoice_id' | 'credit_note_id') {
  return trx.from('pes_export_pieces').whereNotNull(column).select(column)
}

function pendingInvoicesQuery(client: QueryClientContract, month: string) {
  return client.from('invoices').where('month', month).where('total_cents', '>', 0).whereNotIn('id', notExported(client, 'invoice_id'))
}

function pendingCreditNotesQuery(client: QueryClientContract, month: string) {
  return client
    .from('credit_notes')
    .join('invoices', 'invoices.id', 'credit_notes.invoice_id')
    .where('invoices.month', month)
    .whereNotIn('credit_notes.id', notExported(client, 'credit_note_id'))
}

/** Invoices of the month with something to collect, not yet in a PES file, by number. */
export async function pendingInvoices(trx: QueryClientContract, month: string): Promise<InvoiceRow[]> {
  const rows = await pendingInvoicesQuery(trx, month)
    .orderBy('year')
    .orderBy('sequence')
    .select('id', 'family_id', 'number', 'month', 'total_cents')
  return rows.map((row) => ({ id: Number(row.id), familyId: Number(row.family_id), number: row.number, month: row.month, totalCents: Number(row.total_cents) }))
}

/** Credit notes on the month's invoices, not yet in a PES file, in the order they were issued. */
export async function pendingCreditNotes(trx: QueryClientContract, month: string): Promise<CreditNoteRow[]> {
  const rows = await pendingCreditNotesQuery(trx, month)
    .orderBy('credit_notes.id')
    .select(
      'credit_notes.id',
      'credit_notes.invoice_id',
      'credit_notes.family_id',
      'credit_notes.number',
      'credit_notes.reason',
      'credit_notes.amount_cents',
      'invoices.number as invoice_number'
    )
  return rows.map((row) => ({
    id: Number(row.id),
    invoiceId: Number(row.invoice_id),
    familyId: Number(row.family_id),
    number: row.number,
    reason: row.reason,
    amountCents: Number(row.amount_cents),
    invoiceNumber: row.invoice_number,
  }))
}

/** Each invoice's lines with an amount, checked against its total (the title must be what the family was billed). */
export async function linesOf(trx: QueryClientContract, invoices: InvoiceRow[], share?: LoopShare): Promise<Map<number, PesLine[]>> {
  const byInvoice = new Map<number, PesLine[]>(invoices.map((invoice) => [invoice.id, []]))
  if (!invoices.length) return byInvoice
  const rows = await inChunks(
    invoices.map((invoice) => invoice.id),
    (ids) =>
      trx.from('invoice_lines').whereIn('invoice_id', ids).where('total_cents', '<>', 0).orderBy('invoice_id').orderBy('position').select('invoice_id', 'label', 'total_cents'),
    share
  )
  for (const row of rows) byInvoice.get(Number(row.invoice_id))!.push({ label: row.label, amountCents: Number(row.total_cents) })
  for (const invoice of invoices) {
    const lines = byInvoice.get(invoice.id)!
    const sum = lines.reduce((total, line) => total + line.amountCents, 0)
    if (sum !== invoice.totalCents || lines.some((line) => line.amountCents < 0)) {
      throw new BillingError(
        `La facture ${invoice.number} ne peut pas devenir un titre : ses lignes ne sont pas toutes positives ou leur somme diffère de son total. Aucun fichier n’a été écrit.`
      )
    }
  }
  return byInvoice
}

/** The debtor of each family: its first guardian (the one the invoice names first) at the family's address. */
export async function debtorsOf(trx: QueryClientContract, familyIds: number[], share?: LoopShare): Promise<Map<number, PesDebtor>> {
  const debtors = new Map<number, PesDebtor>()
  if (!familyIds.length) return debtors
  const guardians = await inChunks(
    familyIds,
    (ids) => trx.from('guardians').whereIn('family_id', ids).orderBy('position').orderBy('id').select('family_id', 'civility', 'first_name', 'last_name'),
    share
  )
  const firstGuardian = new Map<number, (typeof guardians)[number]>()
  for (const guardian of guardians) if (!firstGuardian.has(Number(guardian.family_id))) firstGuardian.set(Number(guardian.family_id), guardian)
  const families = await inChunks(familyIds, (ids) => trx.from('families').whereIn('id', ids).select('id', 'reference', 'address', 'postal_code', 'city'), share)
  for (const family of families) {
    const guardian = firstGuardian.get(Number(family.id))
    debtors.set(Number(family.id), {
      reference: family.reference,
      civility: guardian?.civility ?? null,
      lastName: guardian ? String(guardian.last_name).toLocaleUpperCase('fr-FR') : `FAMILLE ${family.reference}`,
      firstName: guardian?.first_name ?? null,
      street: family.address,
      postalCode: family.postal_code,
      city: family.city,
    })
  }
  return debtors
}

/**
 * The invoices really paid by direct debit, with the mandate that pays them (IBAN in clear for
 * the file only): the invoice's own debit state, as the invoice and its pre-notification say
 * (services/sepa/invoice_debit.ts), never "the family has a mandate today". Issued under a
 * mandate (`debit_mandate_id`, `debit_on`; a rejected debit clears them), and either in a debit
 * file and not rejected (its line's mandate and sequence), or not sent yet, something left to
 * pay, no file made for its month, and its family's mandate still active.
 */
export async function debitsOf(trx: QueryClientContract, invoices: InvoiceRow[], share?: LoopShare): Promise<Map<number, PesDebit>> {
  const debits = new Map<number, PesDebit>()
  if (!invoices.length) return debits
  const rows = await inChunks(
    invoices.map((invoice) => invoice.id),
    (ids) =>
      trx
        .from('invoices')
        .leftJoin('sepa_debit_lines', 'sepa_debit_lines.invoice_id', 'invoices.id')
        .leftJoin('sepa_debit_batches', 'sepa_debit_batches.month', 'invoices.month')
        .leftJoin('sepa_mandates', (join) => join.on('sepa_mandates.family_id', 'invoices.family_id').andOnVal('sepa_mandates.status', 'active'))
        .whereIn('invoices.id', ids)
        .whereNotNull('invoices.debit_mandate_id')
        .whereNotNull('invoices.debit_on')
        .select(
          'invoices.id',
          'invoices.total_cents',
          'invoices.credited_cents',
          'invoices.paid_cents',
          'sepa_debit_lines.id as line_id',
          'sepa_debit_lines.mandate_id as sent_mandate_id',
          'sepa_debit_lines.sequence as sent_sequence',
          'sepa_debit_lines.rejected_on',
          'sepa_debit_batches.id as month_batch_id',
          'sepa_mandates.id as active_mandate_id'
        ),
    share
  )
  const paying = new Map<number, { mandateId: number; sequence: MandateSequence | null }>()
  for (const row of rows) {
    if (row.line_id) {
      if (!row.rejected_on) paying.set(Number(row.id), { mandateId: Number(row.sent_mandate_id), sequence: row.sent_sequence })
      continue
    }
    const balance = Number(row.total_cents) - Number(row.credited_cents) - Number(row.paid_cents)
    if (balance > 0 && !row.month_batch_id && row.active_mandate_id) paying.set(Number(row.id), { mandateId: Number(row.active_mandate_id), sequence: null })
  }
  if (!paying.size) return debits
  const mandates = await mandateService.debitMandates(
    trx,
    [...paying.values()].map((debit) => debit.mandateId),
    share
  )
  for (const [invoiceId, { mandateId, sequence }] of paying) {
    await share?.turn()
    const mandate = mandates.get(mandateId)!
    const iban = mandateService.iban(mandate)
    if (!iban) throw new BillingError(`L’IBAN du mandat ${mandate.rum} ne peut pas être déchiffré (clé APP_KEY changée ?). Aucun fichier n’a été écrit.`)
    debits.set(invoiceId, {
      rum: mandate.rum,
      signedOn: mandate.signedOn,
      // Sent: the sequence presented to the bank; not yet: the one the next file will use.
      sequence: sequence ?? mandate.sequence,
      iban,
      bic: mandate.bic,
      holder: mandate.holderName,
    })
  }
  return debits
}

/** Ids per `whereIn`: a month of 20,000 families stays far below the databases' parameter limits. */
const IDS_PER_QUERY = 1000

/** One query per slice of ids, the rows of all slices in order (the event loop given back between two, with `share`). */
export async function inChunks<T>(ids: number[], query: (ids: number[]) => Promise<T[]>, share?: LoopShare): Promise<T[]> {
  const rows: T[] = []
  for (const slice of chunks(ids, IDS_PER_QUERY)) {
    rows.push(...(await query(slice)))
    await share?.turn()
  }
  return rows
}

export function monthBounds(month: string) {
  const start = DateTime.fromISO(`${month}-01`)
  return { start: start.toISODate()!, end: start.endOf('month').toISODate()! }
}

/**
 * How many of the month's invoices (or credit notes) wait for a PES file, their amount, and the
 * last one's id: both only grow as they are issued, and shrink only by an export, which moves
 * the piece numbers too. Equal before and after, nothing was issued or exported in between.
 */
export async function pendingCount(client: QueryClientContract, table: 'invoices' | 'credit_notes', month: string) {
  const query = table === 'invoices' ? pendingInvoicesQuery(client, month) : pendingCreditNotesQuery(client, month)
  const amount = table === 'invoices' ? 'invoices.total_cents' : 'credit_notes.amount_cents'
  const row = await query.count('* as count').max(`${table}.id as last_id`).sum(`${amount} as cents`).first()
  return { count: Number(row?.count ?? 0), lastId: Number(row?.last_id ?? 0), cents: Number(row?.cents ?? 0) }
}

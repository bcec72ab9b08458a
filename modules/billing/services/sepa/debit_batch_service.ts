import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { isMonth } from '#modules/billing/services/billing_source'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { creditorAccount, creditorId, sepaCreditor } from '#modules/billing/config/sepa'
import { sortDebits } from '#modules/billing/services/sepa/debit_batch_rules'
import {
  CollectionDateError,
  MIN_DAYS_BEFORE_COLLECTION,
  MovedSincePrepared,
  debitCandidates,
  latestDebitDay,
  prepareBatch,
  type PreparedBatch,
} from '#modules/billing/services/sepa/debit_batch_preparation'
import { historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import { dbTimeOf } from '#core/db_time'
import { retryWhenBusy } from '#core/database_guard'
import { isUniqueViolation } from '#core/sql_results'
import { insertMany } from '#core/bulk_insert'
import { isCalendarDay } from '#core/calendar_day'
import { chunks } from '#core/chunks'
import { unpackXml } from '#modules/billing/services/stored_xml'

export { CollectionDateError, MIN_DAYS_BEFORE_COLLECTION }

export interface DebitBatch {
  id: number
  month: string
  collection_date: string
  message_id: string
  transactions_count: number
  control_sum_cents: number
  xml: string
  created_by: number | null
  created_at: unknown
}

/** A batch row's columns but its file (10 MB at a commune's size). */
const BATCH_COLUMNS = ['id', 'month', 'collection_date', 'message_id', 'transactions_count', 'control_sum_cents', 'created_by', 'created_at']

/** Ids per `whereIn`: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters whatever the month's size. */
const IDS_PER_QUERY = 1000

/**
 * The month's SEPA direct-debit batch: what it would carry (preview), and its creation, once,
 * with its pain.008 file stored as written: a second export gives the same file and sends
 * nothing twice (one batch per month, each invoice in one line: unique indexes).
 */
class DebitBatchService {
  /** The month's batch if it exists, its lines, and the invoices left out with their reason (or what a batch would carry). */
  async preview(month: string) {
    if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} » (format attendu AAAA-MM, par exemple 2026-09).`)
    // Without its file (10 MB at a commune's size): the page shows the batch, the download sends the file.
    const batch: Omit<DebitBatch, 'xml'> | null = await db
      .from('sepa_debit_batches')
      .where('month', month)
      .select(...BATCH_COLUMNS)
      .first()
    const rows = await debitCandidates(db.connection(), month)
    const others = batch ? rows.filter((row) => row.sentIn?.messageId !== batch.message_id) : rows
    const sorted = sortDebits(others, { monthBatch: batch?.message_id ?? null })
    return {
      batch,
      lines: batch ? await this.lines(batch.id) : [],
      included: batch ? [] : sorted.included,
      excluded: sorted.excluded,
      totalCents: sorted.totalCents,
      plannedOn: latestDebitDay(sorted.included),
    }
  }

  async forMonth(month: string): Promise<DebitBatch | null> {
    return withFile(await db.from('sepa_debit_batches').where('month', month).first())
  }

  async find(id: number): Promise<DebitBatch | null> {
    return withFile(await db.from('sepa_debit_batches').where('id', id).first())
  }

  /** A batch's lines as sent (amount, sequence), with the invoice and the mandate. */
  lines(batchId: number) {
    return db
      .from('sepa_debit_lines')
      .join('invoices', 'invoices.id', 'sepa_debit_lines.invoice_id')
      .join('sepa_mandates', 'sepa_mandates.id', 'sepa_debit_lines.mandate_id')
      .where('sepa_debit_lines.batch_id', batchId)
      .orderBy('invoices.sequence')
      .select('sepa_debit_lines.*', 'invoices.number as invoice_number', 'invoices.family_name', 'sepa_mandates.rum', 'sepa_mandates.iban_masked')
  }

  /**
   * Creates the month's batch and its file, or returns the existing one (`created: false`).
   * Invoices in it are sent; first debits move their mandate to RCUR. The file is prepared
   * outside any transaction, the event loop given back every few milliseconds (20,000 debits:
   * a second of reads, IBAN decryption and XML, during which SQLite's one connection would hold
   * every parent's request); then one short transaction reads the month's debits again, records
   * the batch if they are what the file carries, or the file is prepared again (a payment, a
   * credit note, a mandate signed or revoked in between).
   */
  async create(month: string, options: { collectionDate?: string | null; actor?: Actor | null; today?: string } = {}) {
    if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} » (format attendu AAAA-MM, par exemple 2026-09).`)
    const wanted = options.collectionDate?.trim() || null
    if (wanted && !isCalendarDay(wanted)) throw new CollectionDateError(`Date de prélèvement invalide : « ${wanted} » (format attendu AAAA-MM-JJ, par exemple 2026-10-05).`)
    const ics = creditorId()
    if (!ics) throw new BillingError('Aucun identifiant créancier SEPA (ICS) n’est configuré : renseignez SEPA_CREDITOR_ID avant de créer un fichier de prélèvement.')
    const account = creditorAccount()
    if (!account)
      throw new BillingError('Aucun compte créancier n’est configuré : renseignez SEPA_CREDITOR_IBAN (et SEPA_CREDITOR_BIC), le compte où les prélèvements sont versés.')
    const creditor = { name: (await sepaCreditor())!.name, ics, iban: account.iban, bic: account.bic }
    const earliest = DateTime.fromISO(options.today ?? todayInParis())
      .plus({ days: MIN_DAYS_BEFORE_COLLECTION })
      .toISODate()!

    try {
      for (let attempt = 1; ; attempt++) {
        const existing = await this.forMonth(month)
        if (existing) return { batch: existing, created: false }
        const prepared = await this.prepare(month, { wanted, earliest, creditor }).catch(async (error) => {
          // Another export recorded the month while this one read it: its invoices are in that batch now.
          const batch = await this.forMonth(month)
          if (batch) return { batch }
          throw error
        })
        if ('batch' in prepared) return { batch: prepared.batch, created: false }
        try {
          return await retryWhenBusy(() => db.transaction((trx) => this.record(trx, prepared, options.actor ?? null)))
        } catch (error) {
          if (!(error instanceof MovedSincePrepared) || attempt >= 5) throw error
        }
      }
    } catch (error) {
      // Two exports at the same instant (SQLite, or PostgreSQL's unique index): the first one's batch.
      if (!isUniqueViolation(error)) throw error
      const batch = await this.forMonth(month)
      if (!batch) throw error
      return { batch, created: false }
    }
  }

  /** The month's batch prepared (debit_batch_preparation.ts), outside any transaction. */
  private prepare(month: string, options: Parameters<typeof prepareBatch>[1]): Promise<PreparedBatch> {
    return prepareBatch(month, options)
  }

  /** The batch recorded, if the month's debits are still those its file carries. */
  private async record(trx: TransactionClientContract, prepared: PreparedBatch, actor: Actor | null) {
    const { month, transactions, collectionDate, messageId, totalCents } = prepared
    // PostgreSQL: a second export of the month waits here, then finds the first one's batch.
    if (trx.dialect.name === 'postgres') await trx.from('invoices').where('month', month).whereNotNull('debit_mandate_id').select('id').forUpdate()
    const existing: DebitBatch | null = await withFile(await trx.from('sepa_debit_batches').where('month', month).first())
    if (existing) return { batch: existing, created: false }
    if (JSON.stringify(sortDebits(await debitCandidates(trx, month)).included) !== prepared.included) throw new MovedSincePrepared()

    const inserted = await trx
      .table('sepa_debit_batches')
      .insert({
        month,
        collection_date: collectionDate,
        message_id: messageId,
        transactions_count: transactions.length,
        control_sum_cents: totalCents,
        xml: prepared.storedXml,
        created_by: actor?.id ?? null,
        created_at: dbTimeOf(trx),
      })
      .returning('id')
    const batchId = Number(typeof inserted[0] === 'object' ? (inserted[0] as any).id : inserted[0])
    await insertMany(
      trx,
      'sepa_debit_lines',
      transactions.map((item) => ({
        batch_id: batchId,
        invoice_id: item.debit.invoiceId,
        mandate_id: item.debit.activeMandate.id,
        family_id: item.debit.familyId,
        amount_cents: item.amountCents,
        sequence: item.sequence,
        end_to_end_id: item.endToEndId,
      }))
    )
    const firsts = transactions.filter((item) => item.sequence === 'FRST').map((item) => item.debit.activeMandate.id)
    for (const ids of chunks(firsts, IDS_PER_QUERY)) {
      await trx
        .from('sepa_mandates')
        .whereIn('id', ids)
        .where('sequence', 'FRST')
        .update({ sequence: 'RCUR', updated_at: dbTimeOf(trx) })
    }
    await historyService.recordMany(prepared.history, trx)
    await audit.record(
      {
        actor,
        action: 'billing.sepa_debit_batch.created',
        subjectType: 'sepa_debit_batch',
        subjectId: batchId,
        details: { month, messageId, collectionDate, transactions: transactions.length, controlSumCents: totalCents, excluded: prepared.excludedCount },
      },
      trx
    )
    // Its file is the one just prepared: not read back from the row, inside the transaction.
    const batch: Omit<DebitBatch, 'xml'> = await trx.from('sepa_debit_batches').where('id', batchId).select(...BATCH_COLUMNS).firstOrFail()
    return { batch: { ...batch, xml: prepared.xml }, created: true }
  }
}

/** A batch row with its file's text (stored packed: services/stored_xml.ts). */
async function withFile(row: DebitBatch | null): Promise<DebitBatch | null> {
  return row && { ...row, xml: await unpackXml(row.xml) }
}

const debitBatchService = new DebitBatchService()
export default debitBatchService

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import emitter from '@adonisjs/core/services/emitter'
import router from '@adonisjs/core/services/router'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { readStatusReport, type StatusReport } from '#modules/billing/services/sepa/pain002_reader'
import { rejectReasonText } from '#modules/billing/services/sepa/reject_reasons'
import debitCollectionService from '#modules/billing/services/sepa/debit_collection'
import type { DebitRejected } from '#modules/billing/events'
import { historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import { formatMoney, plural } from '#core/french'
import { dbTimeOf } from '#core/db_time'
import { retryWhenBusy } from '#core/database_guard'
import { chunks } from '#core/chunks'
import { absoluteRoute } from '#core/absolute_url'
import { formatDate } from '#core/format'
import { groupBy } from '#core/chunks'

/** Ids per `whereIn`: far below SQLite's and PostgreSQL's parameter limits, whatever the batch's size. */
const IDS_PER_QUERY = 500

/** Days a family has to pay a rejected debit's invoice, from the day the rejection is imported. */
export const DAYS_TO_PAY_AFTER_REJECTION = 15

/** Rejected transactions the report names but our batch does not have: nothing applied unless skipped. */
export class UnknownDebitsError extends BillingError {
  constructor(
    message: string,
    readonly unknown: string[]
  ) {
    super(message)
  }
}

interface BatchLine {
  id: number
  invoice_id: number
  family_id: number
  mandate_id: number
  amount_cents: number
  sequence: 'FRST' | 'RCUR'
  end_to_end_id: string
  rejected_on: string | null
  invoice_number: string
  family_name: string
  due_date: string
}

export interface AppliedRejection {
  invoiceId: number
  invoiceNumber: string
  familyName: string
  amountCents: number
  code: string | null
  reason: string
}

export interface ReturnImport {
  report: StatusReport
  batch: { id: number; month: string; message_id: string; collection_date: string }
  applied: AppliedRejection[]
  /** Rejections an earlier import already applied (the same file again). */
  alreadyApplied: AppliedRejection[]
  /** End-to-end ids of the report that are not in the batch (only with `skipUnknown`). */
  skipped: string[]
}

/**
 * The bank's returns (pain.002.001.03): each rejected debit is recorded on its line, its invoice
 * is unpaid again (the payment it became on its collection day reversed; payable online, due 15
 * days later), its mandate goes back to FRST, the family
 * is told why in words. All in one transaction; a line already rejected is left as it is, so a
 * file imported twice, or twice at the same instant, is applied once.
 */
class DebitReturnService {
  async import(xml: string, fileName: string, options: { skipUnknown?: boolean; actor?: Actor | null; today?: string } = {}): Promise<ReturnImport> {
    const report = readStatusReport(xml, fileName)
    const batch = await db.from('sepa_debit_batches').where('message_id', report.originalMessageId).select('id', 'month', 'message_id', 'collection_date').first()
    if (!batch) {
      throw new BillingError(
        `${fileName} répond au fichier de prélèvement ${report.originalMessageId}, qui n’est pas un lot de ce portail (ou pas de cette commune) : rien n’a été appliqué.`
      )
    }
    const ours = [`${batch.message_id}-FRST`, `${batch.message_id}-RCUR`]
    const foreign = report.paymentInfoIds.filter((id) => !ours.includes(id))
    if (foreign.length) {
      throw new BillingError(
        `${fileName} nomme des paiements (PmtInfId ${foreign.join(', ')}) absents du lot ${batch.message_id} : ce fichier répond à un autre lot, rien n’a été appliqué.`
      )
    }
    const lines: BatchLine[] = await this.lines(batch.id)
    const { rejected, unknown } = resolve(report, lines)
    if (unknown.length && !options.skipUnknown) {
      throw new UnknownDebitsError(
        `${fileName} rejette ${plural(unknown.length, 'prélèvement inconnu', 'prélèvements inconnus')} du lot ${batch.message_id} : ${unknown.join(', ')}. Rien n’a été appliqué (--skip-unknown applique les autres).`,
        unknown
      )
    }

    const today = options.today ?? todayInParis()
    const payBy = DateTime.fromISO(today).plus({ days: DAYS_TO_PAY_AFTER_REJECTION }).toISODate()!
    const outcome = await retryWhenBusy(() => db.transaction((trx) => this.apply(trx, rejected, { report, batch, payBy, actor: options.actor ?? null })))
    // One event per 500 rejections: messaging writes their notices together (a file rejecting a whole group was one notice's transaction per debit).
    for (let at = 0; at < outcome.events.length; at += 500) await emitter.emit('billing:debits-rejected', { rejections: outcome.events.slice(at, at + 500) })
    return { report, batch, applied: outcome.applied, alreadyApplied: outcome.alreadyApplied, skipped: unknown }
  }

  /**
   * Applies the rejections in the caller's transaction, a few statements per 500 lines. The guard
   * is the lines' rows, all read and held first, in id order (PostgreSQL's FOR UPDATE, rechecked
   * once a concurrent import commits; SQLite's transaction holds the whole database): a line
   * already rejected is left as it is.
   */
  private async apply(
    trx: TransactionClientContract,
    rejected: Array<[BatchLine, string | null]>,
    context: { report: StatusReport; batch: ReturnImport['batch']; payBy: string; actor: Actor | null }
  ) {
    const { report, batch, payBy } = context
    const applied: AppliedRejection[] = []
    const alreadyApplied: AppliedRejection[] = []
    const events: DebitRejected[] = []
    const open = new Set<number>()
    for (const group of chunks(rejected, IDS_PER_QUERY)) {
      const query = trx
        .from('sepa_debit_lines')
        .whereIn(
          'id',
          group.map(([line]) => line.id)
        )
        .whereNull('rejected_on')
        .orderBy('id')
        .select('id')
      for (const row of await (trx.dialect.name === 'postgres' ? query.forUpdate() : query)) open.add(Number(row.id))
    }
    const toApply: Array<{ line: BatchLine; code: string | null; item: AppliedRejection; dueDate: string }> = []
    for (const [line, code] of rejected) {
      const item = {
        invoiceId: line.invoice_id,
        invoiceNumber: line.invoice_number,
        familyName: line.family_name,
        amountCents: Number(line.amount_cents),
        code,
        reason: rejectReasonText(code),
      }
      if (open.has(Number(line.id))) toApply.push({ line, code, item, dueDate: line.due_date > payBy ? line.due_date : payBy })
      else alreadyApplied.push(item)
    }
    if (!toApply.length) return { applied, alreadyApplied, events }

    const rejectedAt = dbTimeOf(trx)
    for (const items of groupBy(toApply, (entry) => entry.code ?? '').values()) {
      for (const group of chunks(items, IDS_PER_QUERY)) {
        await trx
          .from('sepa_debit_lines')
          .whereIn(
            'id',
            group.map((entry) => entry.line.id)
          )
          .whereNull('rejected_on')
          .update({ rejected_on: report.reportedOn, rejection_code: group[0].code, rejection_report_id: report.messageId, rejected_at: rejectedAt })
      }
    }
    for (const [dueDate, items] of groupBy(toApply, (entry) => entry.dueDate)) {
      for (const group of chunks(items, IDS_PER_QUERY)) {
        await trx
          .from('invoices')
          .whereIn(
            'id',
            group.map((entry) => entry.line.invoice_id)
          )
          .update({ debit_mandate_id: null, debit_on: null, due_date: dueDate })
      }
    }
    for (const ids of chunks([...new Set(toApply.map((entry) => Number(entry.line.mandate_id)))], IDS_PER_QUERY)) {
      await trx
        .from('sepa_mandates')
        .whereIn('id', ids)
        .update({ sequence: 'FRST', updated_at: dbTimeOf(trx) })
    }
    // Already collected on its day: the payment it became is reversed.
    const reversed = await debitCollectionService.reverseMany(
      trx,
      toApply.map((entry) => entry.line),
      report.reportedOn
    )
    await historyService.recordMany(
      toApply.map(({ line, item, dueDate }) => ({
        familyId: line.family_id,
        line: {
          module: 'billing',
          kind: 'sepa-debit-rejected',
          text: `Prélèvement de ${formatMoney(item.amountCents)} du ${formatDate(batch.collection_date)} pour la facture n° ${line.invoice_number} rejeté par la banque : ${item.reason}. Facture à régler avant le ${formatDate(dueDate)}`,
          link: router.makeUrl('billing.invoices.show', { id: line.invoice_id }),
        },
      })),
      trx
    )
    await audit.recordMany(
      toApply.map(({ line, code, dueDate }) => ({
        actor: context.actor,
        action: 'billing.sepa_debit.rejected',
        subjectType: 'sepa_debit_line',
        subjectId: line.id,
        details: {
          invoiceId: line.invoice_id,
          endToEndId: line.end_to_end_id,
          batch: batch.message_id,
          report: report.messageId,
          code,
          rejectedOn: report.reportedOn,
          dueDate,
          reversedCents: reversed.get(line.end_to_end_id) ?? 0,
        },
      })),
      trx
    )
    const left = new Map<number, number>()
    for (const group of chunks(toApply, IDS_PER_QUERY)) {
      const rows = await trx
        .from('invoices')
        .whereIn(
          'id',
          group.map((entry) => entry.line.invoice_id)
        )
        .select('id', 'total_cents', 'credited_cents', 'paid_cents')
      for (const row of rows) left.set(Number(row.id), Math.max(0, Number(row.total_cents) - Number(row.credited_cents) - Number(row.paid_cents)))
    }
    for (const { line, item, dueDate } of toApply) {
      applied.push(item)
      events.push({
        familyId: line.family_id,
        invoiceId: line.invoice_id,
        invoiceNumber: line.invoice_number,
        amountCents: item.amountCents,
        debitedOn: batch.collection_date,
        reason: item.reason,
        leftToPayCents: left.get(Number(line.invoice_id))!,
        dueDate,
        payUrl: absoluteRoute('billing.invoices.show', { id: line.invoice_id }),
      })
    }
    return { applied, alreadyApplied, events }
  }

  private lines(batchId: number): Promise<BatchLine[]> {
    return db
      .from('sepa_debit_lines')
      .join('invoices', 'invoices.id', 'sepa_debit_lines.invoice_id')
      .where('sepa_debit_lines.batch_id', batchId)
      .orderBy('sepa_debit_lines.id')
      .select('sepa_debit_lines.*', 'invoices.number as invoice_number', 'invoices.family_name', 'invoices.due_date')
  }
}

/**
 * Which of the batch's lines the report rejects, with the reason code: a transaction's own code
 * before its PmtInf's, before the group's; lines in the order they were made (one lock order).
 */
function resolve(report: StatusReport, lines: BatchLine[]) {
  const byEndToEnd = new Map(lines.map((line) => [line.end_to_end_id, line]))
  const codes = new Map<BatchLine, string | null>()
  const unknown: string[] = []
  for (const rejection of report.rejections) {
    if (rejection.scope === 'group') {
      for (const line of lines) if (!codes.has(line)) codes.set(line, rejection.code)
    }
  }
  for (const rejection of report.rejections) {
    if (rejection.scope !== 'payment') continue
    const sequence = rejection.paymentInfoId.slice(-4)
    for (const line of lines) if (line.sequence === sequence) codes.set(line, rejection.code ?? codes.get(line) ?? null)
  }
  for (const rejection of report.rejections) {
    if (rejection.scope !== 'transaction') continue
    const line = byEndToEnd.get(rejection.endToEndId)
    const sequence = rejection.paymentInfoId?.slice(-4)
    if (!line || (sequence && line.sequence !== sequence)) unknown.push(rejection.endToEndId)
    else codes.set(line, rejection.code ?? codes.get(line) ?? null)
  }
  const rejected = [...codes.entries()].sort(([a], [b]) => a.id - b.id)
  return { rejected, unknown }
}

const debitReturnService = new DebitReturnService()
export default debitReturnService

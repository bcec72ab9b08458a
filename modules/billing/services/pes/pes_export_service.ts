import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import audit from '#services/audit_service'
import { isUniqueViolation } from '#core/sql_results'
import { insertMany } from '#core/bulk_insert'
import { missingPesVariables, pesSettings } from '#modules/billing/config/pes'
import PesExport from '#modules/billing/models/pes_export'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { monthLabel } from '#modules/billing/services/billing_month'
import { isMonth } from '#modules/billing/services/billing_source'
import { todayInParis } from '#modules/billing/services/tariff_service'
import {
  debitsOf,
  debtorsOf,
  inChunks,
  linesOf,
  monthBounds,
  pendingCount,
  pendingCreditNotes,
  pendingInvoices,
} from '#modules/billing/services/pes/pes_sources'
import { titleCents, writePesFileSharing, type PesReduction, type PesTitle } from '#modules/billing/services/pes/pes_writer'
import { LoopShare } from '#core/loop_share'
import { packXml } from '#modules/billing/services/stored_xml'

export interface PesPending {
  invoiceCount: number
  invoicesCents: number
  creditNoteCount: number
  creditNotesCents: number
}

/** Nothing left to export for the month: said in words to the agent (not an error). */
export class NothingToExportError extends BillingError {}

/** Between its preparation and its transaction, something the file numbered from has changed: prepared again. */
class MovedSincePrepared extends Error {}

/** The numbers and sums a file continues, and how many invoices and credit notes were waiting for one. */
interface ExportBasis {
  lastBordereau: number
  lastPiece: number
  earlierTitlesCents: number
  earlierReductionsCents: number
  pendingInvoices: { count: number; lastId: number; cents: number }
  pendingCreditNotes: { count: number; lastId: number; cents: number }
}

interface PreparedExport {
  month: string
  basis: ExportBasis
  file: {
    month: string
    exercise: number
    bordereauNumber: number | null
    reductionBordereauNumber: number | null
    fileName: string
    titleCount: number
    titlesCents: number
    reductionCount: number
    reductionsCents: number
    xml: string
  }
  /** The file as its row keeps it (services/stored_xml.ts). */
  storedXml: string
  pieces: { exercise: number; piece_number: number; invoice_id: number | null; credit_note_id: number | null; amount_cents: number }[]
}

function checkMonth(month: string) {
  if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} ». Format attendu : AAAA-MM (exemple : 2026-09).`)
}

async function maxOf(client: QueryClientContract, table: string, column: string, exercise: number) {
  const row = await client.from(table).where('exercise', exercise).max(`${column} as top`).first()
  return Number(row?.top ?? 0)
}

async function sumOf(client: QueryClientContract, column: 'titles_cents' | 'reductions_cents', exercise: number) {
  const row = await client.from('pes_exports').where('exercise', exercise).sum(`${column} as total`).first()
  return Number(row?.total ?? 0)
}

class PesExportService {
  /** What an export of the month would carry now (counted in SQL: 20,000 invoices are not read for a count). */
  async pending(month: string): Promise<PesPending> {
    checkMonth(month)
    const client = db.connection()
    const invoices = await pendingCount(client, 'invoices', month)
    const notes = await pendingCount(client, 'credit_notes', month)
    return { invoiceCount: invoices.count, invoicesCents: invoices.cents, creditNoteCount: notes.count, creditNotesCents: notes.cents }
  }

  /** The staff page's block: what is missing in the configuration, what an export would carry, the files already made. */
  async overview(month: string) {
    return { missing: missingPesVariables(), pending: await this.pending(month), exports: await this.list(month) }
  }

  /** The month's files, newest first, without their XML (tens of megabytes each at a commune's size). */
  list(month: string) {
    return PesExport.query()
      .where('month', month)
      .orderBy('id', 'desc')
      .select('id', 'month', 'exercise', 'bordereau_number', 'reduction_bordereau_number', 'file_name', 'title_count', 'titles_cents', 'reduction_count', 'reductions_cents', 'created_by', 'created_at')
  }

  /** One of the month's files, with its XML. */
  file(month: string, fileName: string) {
    return PesExport.query().where('month', month).where('file_name', fileName).first()
  }

  /**
   * One PES file for the month's invoices and credit notes not yet exported. The file is
   * prepared outside any transaction, the event loop given back every few milliseconds (20,000
   * titles take seconds: on SQLite a transaction holds the portal's one connection, and the
   * parents' requests would wait for the whole file); then one short transaction checks that
   * nothing it numbered from has moved and records it. Something moved (another export, an
   * invoice or a credit note issued meanwhile): prepared again. Two exports at the same instant:
   * the second one finds the first one's numbers, or its rows refused by the unique indexes, and
   * is prepared again to find nothing left (NothingToExportError).
   */
  async exportMonth(month: string, actor: Actor | null, today: string = todayInParis()): Promise<PesExport> {
    checkMonth(month)
    const settings = pesSettings()
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.prepare(month, settings, today)
      try {
        return await db.transaction((trx) => this.record(trx, prepared, actor))
      } catch (error) {
        if (!(error instanceof MovedSincePrepared || isUniqueViolation(error)) || attempt >= 5) throw error
      }
    }
  }

  /** What the file's numbers and sums stand on: read when it is prepared, read again when it is recorded. */
  private async basisOf(client: QueryClientContract, month: string): Promise<ExportBasis> {
    const exercise = Number(month.slice(0, 4))
    const [invoices, notes] = [await pendingCount(client, 'invoices', month), await pendingCount(client, 'credit_notes', month)]
    return {
      lastBordereau: Math.max(await maxOf(client, 'pes_exports', 'bordereau_number', exercise), await maxOf(client, 'pes_exports', 'reduction_bordereau_number', exercise)),
      lastPiece: await maxOf(client, 'pes_export_pieces', 'piece_number', exercise),
      earlierTitlesCents: await sumOf(client, 'titles_cents', exercise),
      earlierReductionsCents: await sumOf(client, 'reductions_cents', exercise),
      pendingInvoices: invoices,
      pendingCreditNotes: notes,
    }
  }

  private async prepare(month: string, settings: ReturnType<typeof pesSettings>, today: string): Promise<PreparedExport> {
    const client = db.connection()
    const share = new LoopShare()
    const basis = await this.basisOf(client, month)
    const invoices = await pendingInvoices(client, month)
    const notes = await pendingCreditNotes(client, month)
    if (!invoices.length && !notes.length) {
      throw new NothingToExportError(`Rien à exporter pour ${monthLabel(month)} : toutes les factures et tous les avoirs du mois sont déjà dans un fichier PES.`)
    }
    const exercise = Number(month.slice(0, 4))
    let nextBordereau = basis.lastBordereau + 1
    let nextPiece = basis.lastPiece + 1
    const familyIds = [...new Set([...invoices.map((invoice) => invoice.familyId), ...notes.map((note) => note.familyId)])]
    const lines = await linesOf(client, invoices, share)
    const debtors = await debtorsOf(client, familyIds, share)
    const debits = await debitsOf(client, invoices, share)
    const { start, end } = monthBounds(month)
    const label = monthLabel(month)

    const titles: PesTitle[] = invoices.map((invoice) => ({
      pieceNumber: nextPiece++,
      invoiceNumber: invoice.number,
      object: `Facture ${invoice.number} - ${label}`,
      periodStart: start,
      periodEnd: end,
      lines: lines.get(invoice.id)!,
      debtor: debtors.get(invoice.familyId)!,
      debit: debits.get(invoice.id) ?? null,
    }))
    const titleOf = new Map<number, { exercise: number; pieceNumber: number }>()
    invoices.forEach((invoice, index) => titleOf.set(invoice.id, { exercise, pieceNumber: titles[index].pieceNumber }))
    const earlierTitles = notes.map((note) => note.invoiceId).filter((id) => !titleOf.has(id))
    if (earlierTitles.length) {
      const pieces = await inChunks(earlierTitles, (ids) => client.from('pes_export_pieces').whereIn('invoice_id', ids).select('invoice_id', 'exercise', 'piece_number'), share)
      for (const row of pieces) {
        titleOf.set(Number(row.invoice_id), { exercise: Number(row.exercise), pieceNumber: Number(row.piece_number) })
      }
    }
    const reductions: PesReduction[] = notes.map((note) => {
      const original = titleOf.get(note.invoiceId)
      if (!original) throw new BillingError(`L’avoir ${note.number} porte sur la facture ${note.invoiceNumber}, qui n’est pas un titre. Aucun fichier n’a été écrit.`)
      return {
        pieceNumber: nextPiece++,
        creditNoteNumber: note.number,
        object: `Avoir ${note.number} sur la facture ${note.invoiceNumber} : ${note.reason}`,
        amountCents: note.amountCents,
        original: { ...original, invoiceNumber: note.invoiceNumber },
        debtor: debtors.get(note.familyId)!,
      }
    })

    const bordereauNumber = titles.length ? nextBordereau++ : null
    const reductionBordereauNumber = reductions.length ? nextBordereau++ : null
    const fileName = `PES_${settings.idColl}_${settings.codBud}_${exercise}_B${String(bordereauNumber ?? reductionBordereauNumber).padStart(5, '0')}.xml`
    const titlesCents = titles.reduce((sum, title) => sum + titleCents(title), 0)
    const reductionsCents = reductions.reduce((sum, reduction) => sum + reduction.amountCents, 0)
    const xml = await writePesFileSharing(
      {
        settings,
        fileName,
        createdOn: today,
        exercise,
        month,
        monthLabel: label,
        titles: { number: bordereauNumber ?? 0, earlierCents: basis.earlierTitlesCents, pieces: titles },
        reductions: reductionBordereauNumber ? { number: reductionBordereauNumber, earlierCents: basis.earlierReductionsCents, pieces: reductions } : null,
      },
      share
    )
    const pieces = [
      ...invoices.map((invoice, index) => ({ exercise, piece_number: titles[index].pieceNumber, invoice_id: invoice.id, credit_note_id: null, amount_cents: invoice.totalCents })),
      ...notes.map((note, index) => ({ exercise, piece_number: reductions[index].pieceNumber, invoice_id: null, credit_note_id: note.id, amount_cents: note.amountCents })),
    ]
    return {
      month,
      basis,
      file: { month, exercise, bordereauNumber, reductionBordereauNumber, fileName, titleCount: titles.length, titlesCents, reductionCount: reductions.length, reductionsCents, xml },
      storedXml: await packXml(xml),
      pieces,
    }
  }

  private async record(trx: TransactionClientContract, prepared: PreparedExport, actor: Actor | null) {
    const now = await this.basisOf(trx, prepared.month)
    if (JSON.stringify(now) !== JSON.stringify(prepared.basis)) throw new MovedSincePrepared()
    const { file } = prepared
    const { xml, ...columns } = file
    const created = (await PesExport.create({ ...columns, storedXml: prepared.storedXml, createdBy: actor?.id ?? null }, { client: trx })).writtenFrom(xml)
    await insertMany(
      trx,
      'pes_export_pieces',
      prepared.pieces.map((piece) => ({ pes_export_id: created.id, ...piece }))
    )
    await audit.record(
      {
        actor,
        action: 'billing.pes_export.created',
        subjectType: 'pes_export',
        subjectId: created.id,
        details: {
          month: file.month,
          fileName: file.fileName,
          bordereauNumber: file.bordereauNumber,
          reductionBordereauNumber: file.reductionBordereauNumber,
          titles: file.titleCount,
          titlesCents: file.titlesCents,
          reductions: file.reductionCount,
          reductionsCents: file.reductionsCents,
        },
      },
      trx
    )
    return created
  }
}

const pesExportService = new PesExportService()
export default pesExportService

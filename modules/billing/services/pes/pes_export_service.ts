import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import audit from '#services/audit_service'
import { isUniqueViolation } from '#core/sql_results'
import { insertMany } from '#core/bulk_insert'
import { missingPesVariables, pesSettings } from '#modules/billing/config/pes'
import PesExport from '#modules/billing/models/pes_export'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { monthLabel } from '#modules/billing/services/billing_month'
import { isMonth } from '#modules/billing/services/billing_source'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { debitsOf, debtorsOf, inChunks, linesOf, monthBounds, pendingCreditNotes, pendingInvoices } from '#modules/billing/services/pes/pes_sources'
import { titleCents, writePesFile, type PesReduction, type PesTitle } from '#modules/billing/services/pes/pes_writer'

export interface PesPending {
  invoiceCount: number
  invoicesCents: number
  creditNoteCount: number
  creditNotesCents: number
}

/** Nothing left to export for the month: said in words to the agent (not an error). */
export class NothingToExportError extends BillingError {}

function checkMonth(month: string) {
  if (!isMonth(month)) throw new BillingError(`Mois invalide : « ${month} ». Format attendu : AAAA-MM (exemple : 2026-09).`)
}

async function maxOf(trx: TransactionClientContract, table: string, column: string, exercise: number) {
  const row = await trx.from(table).where('exercise', exercise).max(`${column} as top`).first()
  return Number(row?.top ?? 0)
}

async function sumOf(trx: TransactionClientContract, column: 'titles_cents' | 'reductions_cents', exercise: number) {
  const row = await trx.from('pes_exports').where('exercise', exercise).sum(`${column} as total`).first()
  return Number(row?.total ?? 0)
}

class PesExportService {
  /** What an export of the month would carry now. */
  async pending(month: string): Promise<PesPending> {
    checkMonth(month)
    const client = db.connection()
    const invoices = await pendingInvoices(client, month)
    const notes = await pendingCreditNotes(client, month)
    return {
      invoiceCount: invoices.length,
      invoicesCents: invoices.reduce((sum, invoice) => sum + invoice.totalCents, 0),
      creditNoteCount: notes.length,
      creditNotesCents: notes.reduce((sum, note) => sum + note.amountCents, 0),
    }
  }

  /** The staff page's block: what is missing in the configuration, what an export would carry, the files already made. */
  async overview(month: string) {
    return { missing: missingPesVariables(), pending: await this.pending(month), exports: await this.list(month) }
  }

  list(month: string) {
    return PesExport.query().where('month', month).orderBy('id', 'desc')
  }

  /**
   * One PES file for the month's invoices and credit notes not yet exported, in one transaction.
   * Two exports at the same instant: the unique indexes refuse the second one's rows, which is
   * then tried again and finds nothing left (NothingToExportError).
   */
  async exportMonth(month: string, actor: Actor | null, today: string = todayInParis()): Promise<PesExport> {
    checkMonth(month)
    const settings = pesSettings()
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((trx) => this.write(trx, month, settings, actor, today))
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 5) throw error
      }
    }
  }

  private async write(trx: TransactionClientContract, month: string, settings: ReturnType<typeof pesSettings>, actor: Actor | null, today: string) {
    const invoices = await pendingInvoices(trx, month)
    const notes = await pendingCreditNotes(trx, month)
    if (!invoices.length && !notes.length) {
      throw new NothingToExportError(`Rien à exporter pour ${monthLabel(month)} : toutes les factures et tous les avoirs du mois sont déjà dans un fichier PES.`)
    }
    const exercise = Number(month.slice(0, 4))
    let nextBordereau = Math.max(await maxOf(trx, 'pes_exports', 'bordereau_number', exercise), await maxOf(trx, 'pes_exports', 'reduction_bordereau_number', exercise)) + 1
    let nextPiece = (await maxOf(trx, 'pes_export_pieces', 'piece_number', exercise)) + 1
    const familyIds = [...new Set([...invoices.map((invoice) => invoice.familyId), ...notes.map((note) => note.familyId)])]
    const [lines, debtors, debits] = [await linesOf(trx, invoices), await debtorsOf(trx, familyIds), await debitsOf(trx, invoices)]
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
      const pieces = await inChunks(earlierTitles, (ids) => trx.from('pes_export_pieces').whereIn('invoice_id', ids).select('invoice_id', 'exercise', 'piece_number'))
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
    const xml = writePesFile({
      settings,
      fileName,
      createdOn: today,
      exercise,
      month,
      monthLabel: label,
      titles: { number: bordereauNumber ?? 0, earlierCents: await sumOf(trx, 'titles_cents', exercise), pieces: titles },
      reductions: reductionBordereauNumber ? { number: reductionBordereauNumber, earlierCents: await sumOf(trx, 'reductions_cents', exercise), pieces: reductions } : null,
    })

    const created = await PesExport.create(
      {
        month,
        exercise,
        bordereauNumber,
        reductionBordereauNumber,
        fileName,
        titleCount: titles.length,
        titlesCents,
        reductionCount: reductions.length,
        reductionsCents,
        xml,
        createdBy: actor?.id ?? null,
      },
      { client: trx }
    )
    await insertMany(trx, 'pes_export_pieces', [
      ...invoices.map((invoice, index) => ({
        pes_export_id: created.id,
        exercise,
        piece_number: titles[index].pieceNumber,
        invoice_id: invoice.id,
        credit_note_id: null,
        amount_cents: invoice.totalCents,
      })),
      ...notes.map((note, index) => ({
        pes_export_id: created.id,
        exercise,
        piece_number: reductions[index].pieceNumber,
        invoice_id: null,
        credit_note_id: note.id,
        amount_cents: note.amountCents,
      })),
    ])
    await audit.record(
      {
        actor,
        action: 'billing.pes_export.created',
        subjectType: 'pes_export',
        subjectId: created.id,
        details: { month, fileName, bordereauNumber, reductionBordereauNumber, titles: titles.length, titlesCents, reductions: reductions.length, reductionsCents },
      },
      trx
    )
    return created
  }
}

const pesExportService = new PesExportService()
export default pesExportService

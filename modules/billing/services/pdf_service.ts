import PDFDocument from 'pdfkit'
import communeSettings from '#services/commune_settings'
import type Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment from '#modules/billing/models/payment'
import { formatCents } from '#modules/billing/services/tariff_engine'
import { refdetFor } from '#modules/billing/services/payment/payment_service'
import { formatNumber, winAnsi } from '#core/french'
import { debitSentence, plannedDebit } from '#modules/billing/services/sepa/invoice_debit'
import { PdfTags } from '#modules/billing/services/pdf_tags'
import { formatDate } from '#core/format'

/**
 * The invoice as a PDF: the commune's identity, the family, the lines, the totals and how to
 * pay. Standard PDF fonts (WinAnsi): the narrow spaces of amounts become no-break spaces.
 * A tagged PDF (see pdf_tags.ts): headings, paragraphs, the lines as a table with its header row
 * and its totals in the table's foot, the rules as artifacts.
 */
export async function invoicePdf(invoice: Invoice): Promise<Buffer> {
  const commune = await communeSettings.get()
  const lines = invoice.$preloaded.lines ? (invoice.lines as InvoiceLine[]) : await InvoiceLine.query().where('invoice_id', invoice.id).orderBy('position')
  const credits = invoice.$preloaded.creditNotes ? (invoice.creditNotes as CreditNote[]) : await CreditNote.query().where('invoice_id', invoice.id)
  const payments = invoice.$preloaded.payments ? (invoice.payments as Payment[]) : await Payment.query().where('invoice_id', invoice.id)

  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    // Tagged PDF (RGAA 13.3): a structure tree, the title shown instead of the file name, French.
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: 'fr-FR',
    info: { Title: `Facture ${invoice.number}`, Author: commune.name, Subject: `Facture ${invoice.monthLabel}` },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const tags = new PdfTags(doc)
  const paragraph = (text: string, parent?: PDFKit.PDFStructureElement) => tags.block('P', () => doc.text(text), parent)

  // The commune (sender), then the invoice, then the family it is addressed to: the reading order.
  const primary = /^#[0-9a-f]{6}$/i.test(commune.colorPrimary) ? commune.colorPrimary : '#1f4e79'
  const sender = tags.group('Div')
  tags.block('P', () => doc.fillColor(primary).font('Helvetica-Bold').fontSize(18).text(commune.name), sender)
  doc.fillColor('#000').font('Helvetica').fontSize(9)
  for (const contact of commune.contacts.slice(0, 3)) {
    paragraph([contact.label, contact.address, contact.phone ? `Tél. ${contact.phone}` : null, contact.email].filter(Boolean).join(' — '), sender)
  }
  doc.moveDown(1.5)

  const top = doc.y
  tags.block('H1', () => doc.font('Helvetica-Bold').fontSize(14).text(`Facture n° ${invoice.number}`, 50, top))
  doc.font('Helvetica').fontSize(10)
  paragraph(`Période : ${invoice.monthLabel}`)
  paragraph(`Émise le ${formatDate(invoice.issuedOn)}`)
  paragraph(`À payer avant le ${formatDate(invoice.dueDate)}`)
  paragraph(`Quotient familial retenu : ${winAnsi(invoice.quotientLabel)}`)
  const addressee = tags.group('Div')
  tags.block('P', () => doc.font('Helvetica-Bold').text(invoice.familyName, 330, top), addressee)
  if (invoice.familyAddress) tags.block('P', () => doc.font('Helvetica').text(invoice.familyAddress!, 330), addressee)
  doc.font('Helvetica')
  doc.x = 50
  doc.y = Math.max(doc.y, top + 80)
  doc.moveDown()

  tags.block('H2', () => doc.font('Helvetica-Bold').fontSize(11).text('Détail de la facture', 50))
  doc.moveDown(0.3)
  const columns = [
    { title: 'Désignation', x: 50, width: 270, align: 'left' as const },
    { title: 'Quantité', x: 325, width: 55, align: 'right' as const },
    { title: 'Prix unitaire', x: 385, width: 75, align: 'right' as const },
    { title: 'Total', x: 465, width: 80, align: 'right' as const },
  ]
  const table = tags.group('Table')
  /**
   * One row of the table: `cells` are [column index, text, header scope?]; a label alone on the
   * left spans the three first columns (like the HTML table's th colspan="3").
   */
  const row = (section: PDFKit.PDFStructureElement, cells: [number, string, ('Row' | 'Column')?][], bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9)
    const y = doc.y
    let height = 0
    const tr = tags.group('TR', section)
    cells.forEach(([index, text, scope], position) => {
      const column = columns[index]
      const next = cells[position + 1]?.[0] ?? columns.length
      const cell = winAnsi(text)
      height = Math.max(height, doc.heightOfString(cell, { width: column.width }))
      tags.cell(tr, scope ? 'TH' : 'TD', () => doc.text(cell, column.x, y, { width: column.width, align: column.align }), { scope, colSpan: next - index })
    })
    doc.x = 50
    doc.y = y + height + 4
    if (doc.y > 760) doc.addPage()
  }
  const rule = (y: number) => tags.artifact(() => doc.moveTo(50, y).lineTo(545, y).strokeColor('#888').stroke())
  row(tags.group('THead', table), columns.map((column, index) => [index, column.title, 'Column']), true)
  rule(doc.y - 2)
  const body = tags.group('TBody', table)
  for (const line of lines) {
    row(body, [[0, line.label], [1, formatNumber(line.quantity)], [2, formatCents(line.unitPriceCents)], [3, formatCents(line.totalCents)]])
  }
  rule(doc.y)
  doc.moveDown(0.5)
  const foot = tags.group('TFoot', table)
  row(foot, [[0, 'Total de la facture', 'Row'], [3, formatCents(invoice.totalCents)]], true)
  for (const note of credits) row(foot, [[0, `Avoir n° ${note.number} : ${note.reason}`], [3, `-${formatCents(note.amountCents)}`]])
  for (const payment of payments) {
    row(foot, [[0, `Paiement du ${formatDate(payment.paidOn)} (${payment.methodLabel})`], [3, `-${formatCents(payment.amountCents)}`]])
    if (payment.reversedOn) row(foot, [[0, `Prélèvement rejeté le ${formatDate(payment.reversedOn)} : paiement annulé`], [3, `+${formatCents(payment.amountCents)}`]])
  }
  row(foot, [[0, 'Reste à payer', 'Row'], [3, formatCents(invoice.balanceCents)]], true)
  table.end()

  doc.moveDown()
  tags.block('H2', () => doc.font('Helvetica-Bold').fontSize(11).text('Comment payer', 50))
  doc.font('Helvetica').fontSize(9)
  const debit = await plannedDebit(invoice)
  if (debit) {
    paragraph(winAnsi(debitSentence(debit)))
    paragraph('Vous n’avez rien à faire : le montant sera prélevé sur votre compte à cette date.')
  } else if (invoice.balanceCents === 0) {
    paragraph('Cette facture est réglée. Merci.')
  } else {
    paragraph(`En ligne, par carte bancaire ou prélèvement unique (PayFiP), depuis votre espace famille, rubrique FACTURATION (référence ${refdetFor(invoice.number)}).`)
    paragraph('Au guichet du service enfance-jeunesse : chèque à l’ordre du Trésor public, espèces ou CESU.')
  }
  tags.end()
  doc.end()
  return done
}

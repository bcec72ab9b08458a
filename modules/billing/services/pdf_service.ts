import PDFDocument from 'pdfkit'
import { DateTime } from 'luxon'
import communeSettings from '#services/commune_settings'
import type Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment from '#modules/billing/models/payment'
import { formatCents } from '#modules/billing/services/tariff_engine'
import { refdetFor } from '#modules/billing/services/payment/payment_service'
import { formatEuros, formatNumber, winAnsi } from '#core/french'
import { debitSentence, plannedDebit } from '#modules/billing/services/sepa/invoice_debit'

const day = (iso: string) => DateTime.fromISO(iso).toFormat('dd/MM/yyyy')

/**
 * The invoice as a PDF: the commune's identity, the family, the lines, the totals and how to
 * pay. Standard PDF fonts (WinAnsi): the narrow spaces of amounts become no-break spaces.
 */
export async function invoicePdf(invoice: Invoice): Promise<Buffer> {
  const commune = await communeSettings.get()
  const lines = invoice.$preloaded.lines ? (invoice.lines as InvoiceLine[]) : await InvoiceLine.query().where('invoice_id', invoice.id).orderBy('position')
  const credits = invoice.$preloaded.creditNotes ? (invoice.creditNotes as CreditNote[]) : await CreditNote.query().where('invoice_id', invoice.id)
  const payments = invoice.$preloaded.payments ? (invoice.payments as Payment[]) : await Payment.query().where('invoice_id', invoice.id)

  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Facture ${invoice.number}`, Author: commune.name, Subject: `Facture ${invoice.monthLabel}` }, lang: 'fr-FR' } as any)
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  const primary = /^#[0-9a-f]{6}$/i.test(commune.colorPrimary) ? commune.colorPrimary : '#1f4e79'
  doc.fillColor(primary).font('Helvetica-Bold').fontSize(18).text(commune.name)
  doc.fillColor('#000').font('Helvetica').fontSize(9)
  for (const contact of commune.contacts.slice(0, 3)) {
    doc.text([contact.label, contact.address, contact.phone ? `Tél. ${contact.phone}` : null, contact.email].filter(Boolean).join(' — '))
  }
  doc.moveDown(1.5)

  const top = doc.y
  doc.font('Helvetica-Bold').fontSize(14).text(`Facture n° ${invoice.number}`, 50, top)
  doc.font('Helvetica').fontSize(10)
  doc.text(`Période : ${invoice.monthLabel}`)
  doc.text(`Émise le ${day(invoice.issuedOn)}`)
  doc.text(`À payer avant le ${day(invoice.dueDate)}`)
  doc.text(`Quotient familial retenu : ${invoice.familyQuotient === null ? 'non connu (tarif le plus haut)' : winAnsi(formatEuros(invoice.familyQuotient))}`)
  doc.font('Helvetica-Bold').text(invoice.familyName, 330, top)
  doc.font('Helvetica').text(invoice.familyAddress ?? '', 330)
  doc.x = 50
  doc.y = Math.max(doc.y, top + 80)
  doc.moveDown()

  const columns = [
    { title: 'Désignation', x: 50, width: 270, align: 'left' as const },
    { title: 'Quantité', x: 325, width: 55, align: 'right' as const },
    { title: 'Prix unitaire', x: 385, width: 75, align: 'right' as const },
    { title: 'Total', x: 465, width: 80, align: 'right' as const },
  ]
  const row = (texts: string[], bold = false) => {
    const cells = texts.map(winAnsi)
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9)
    const y = doc.y
    let height = 0
    cells.forEach((cell, index) => {
      const column = columns[index]
      height = Math.max(height, doc.heightOfString(cell, { width: column.width }))
      doc.text(cell, column.x, y, { width: column.width, align: column.align })
    })
    doc.x = 50
    doc.y = y + height + 4
    if (doc.y > 760) doc.addPage()
  }
  row(columns.map((column) => column.title), true)
  doc.moveTo(50, doc.y - 2).lineTo(545, doc.y - 2).strokeColor('#888').stroke()
  for (const line of lines) {
    row([line.label, formatNumber(line.quantity), formatCents(line.unitPriceCents), formatCents(line.totalCents)])
  }
  doc.moveTo(50, doc.y).lineTo(545, doc.y).stroke()
  doc.moveDown(0.5)
  row(['Total de la facture', '', '', formatCents(invoice.totalCents)], true)
  for (const note of credits) row([`Avoir n° ${note.number} : ${note.reason}`, '', '', `-${formatCents(note.amountCents)}`])
  for (const payment of payments) {
    row([`Paiement du ${day(payment.paidOn)} (${payment.methodLabel})`, '', '', `-${formatCents(payment.amountCents)}`])
    if (payment.reversedOn) row([`Prélèvement rejeté le ${day(payment.reversedOn)} : paiement annulé`, '', '', `+${formatCents(payment.amountCents)}`])
  }
  row(['Reste à payer', '', '', formatCents(invoice.balanceCents)], true)

  doc.moveDown()
  doc.font('Helvetica-Bold').fontSize(11).text('Comment payer', 50)
  doc.font('Helvetica').fontSize(9)
  const debit = await plannedDebit(invoice)
  if (debit) {
    doc.text(winAnsi(debitSentence(debit)))
    doc.text('Vous n’avez rien à faire : le montant sera prélevé sur votre compte à cette date.')
  } else if (invoice.balanceCents === 0) {
    doc.text('Cette facture est réglée. Merci.')
  } else {
    doc.text(`En ligne, par carte bancaire ou prélèvement unique (PayFiP), depuis votre espace famille, rubrique FACTURATION (référence ${refdetFor(invoice.number)}).`)
    doc.text('Au guichet du service enfance-jeunesse : chèque à l’ordre du Trésor public, espèces ou CESU.')
  }
  doc.end()
  return done
}

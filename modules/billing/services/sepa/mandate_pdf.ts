import PDFDocument from 'pdfkit'
import type { DateTime } from 'luxon'
import type { SepaCreditor } from '#modules/billing/config/sepa'
import { mandateText } from '#modules/billing/services/sepa/mandate_text'
import { formatDateTime } from '#core/format'
import { winAnsi } from '#core/french'

export interface SignedMandate {
  rum: string
  holderName: string
  /** The debtor's address: the family's. */
  holderAddress: string[]
  ibanMasked: string
  bic: string | null
  signedAt: DateTime
  signedBy: string
}

/**
 * "Mandat de prélèvement SEPA" as signed online: creditor and ICS, RUM, debtor, account, the
 * text the parent read, when and by whom it was signed. The IBAN is printed masked: the file
 * lies unencrypted in storage and in the documents zip, while the database keeps the IBAN
 * encrypted; RUM and ICS identify the mandate for the banks (README, SEPA section). Reads no
 * database (it runs inside the signing transaction): the caller passes the commune.
 */
export async function mandatePdf(commune: { name: string; colorPrimary: string }, creditor: SepaCreditor, mandate: SignedMandate): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Mandat de prélèvement SEPA ${mandate.rum}`, Author: creditor.name }, lang: 'fr-FR' } as any)
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const text = (value: string) => doc.text(winAnsi(value))
  const heading = (value: string) => {
    doc.moveDown(0.8)
    doc.font('Helvetica-Bold').fontSize(11)
    text(value)
    doc.font('Helvetica').fontSize(10)
  }
  const pair = (label: string, value: string) => {
    doc.font('Helvetica-Bold').text(winAnsi(`${label} : `), { continued: true }).font('Helvetica').text(winAnsi(value))
  }

  const primary = /^#[0-9a-f]{6}$/i.test(commune.colorPrimary) ? commune.colorPrimary : '#1f4e79'
  doc.fillColor(primary).font('Helvetica-Bold').fontSize(18).text(winAnsi(commune.name))
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(15).moveDown(0.5)
  text('Mandat de prélèvement SEPA')
  doc.font('Helvetica').fontSize(10).moveDown(0.3)
  pair('Référence unique du mandat (RUM)', mandate.rum)
  pair('Type de paiement', 'récurrent')

  heading('Créancier')
  pair('Nom', creditor.name)
  if (creditor.address) pair('Adresse', creditor.address)
  pair('Identifiant créancier SEPA (ICS)', creditor.id)

  heading('Débiteur')
  pair('Titulaire du compte', mandate.holderName)
  if (mandate.holderAddress.length) pair('Adresse', mandate.holderAddress.join(', '))
  pair('IBAN', mandate.ibanMasked)
  pair('BIC', mandate.bic ?? 'non indiqué')
  doc.fontSize(8.5)
  text('Pour votre sécurité, l’IBAN est masqué sur ce document ; il figure en entier dans l’export de vos données (MON DOSSIER).')
  doc.fontSize(10)

  heading('Texte du mandat')
  for (const paragraph of mandateText(creditor.name, 'document')) {
    text(paragraph)
    doc.moveDown(0.4)
  }

  heading('Signature')
  text(`Signé électroniquement le ${formatDateTime(mandate.signedAt)} (heure de Paris) par ${mandate.signedBy}, depuis son espace famille, après lecture du texte ci-dessus et consentement coché.`)
  doc.end()
  return done
}

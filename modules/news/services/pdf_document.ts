import PDFDocument from 'pdfkit'

/** A small, valid PDF with a title and a few paragraphs (demo documents, tests). */
export function simplePdf(title: string, paragraphs: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title }, lang: 'fr-FR' } as PDFKit.PDFDocumentOptions)
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.fontSize(18).text(title)
    doc.moveDown()
    doc.fontSize(11)
    for (const paragraph of paragraphs) {
      doc.text(paragraph)
      doc.moveDown(0.5)
    }
    doc.end()
  })
}

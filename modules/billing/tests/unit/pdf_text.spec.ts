import { test } from '@japa/runner'
import { deflateSync } from 'node:zlib'
import { pdfObjects, pdfText } from '#modules/billing/tests/pdf_text'

/** A content stream as pdfkit writes it: its dictionary, `stream\n`, the deflated bytes, `\nendstream`. */
function pdfWithContent(content: string) {
  const deflated = deflateSync(Buffer.from(content, 'latin1'))
  return {
    deflated,
    pdf: Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj\n<<\n/Length ${deflated.length}\n/Filter /FlateDecode\n>>\nstream\n`, 'latin1'),
      deflated,
      Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
    ]),
  }
}

const shown = (text: string) => `BT /F1 12 Tf [<${Buffer.from(text, 'latin1').toString('hex')}>] TJ ET`

test.group('pdfText and pdfObjects (the tests’ readers of pdfkit PDFs)', () => {
  test('reads the text of a compressed stream', ({ assert }) => {
    assert.equal(pdfText(pdfWithContent(shown('Facture n° 2026-000001')).pdf), 'Facture n° 2026-000001')
  })

  test('reads a stream whose compressed bytes end with \\r, as 1 in 256 do', ({ assert }) => {
    // "Facture 10777759": its deflated bytes end with 0x0D (the checksum's last byte).
    const { deflated, pdf } = pdfWithContent(shown('Facture 10777759'))
    assert.equal(deflated[deflated.length - 1], 0x0d)
    assert.equal(pdfText(pdf), 'Facture 10777759')
    assert.equal(pdfObjects(pdf).get(4)?.stream, shown('Facture 10777759'))
  })
})

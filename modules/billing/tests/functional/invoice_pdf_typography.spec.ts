import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { pdfContentStreams } from '#modules/billing/tests/pdf_text'

/** The glyph codes the PDF writes, in order, as hex (standard fonts: one byte per character). */
function shownHex(pdf: Buffer) {
  let hex = ''
  for (const content of pdfContentStreams(pdf)) {
    for (const segment of content.matchAll(/<([0-9a-f]+)>/gi)) hex += segment[1].toLowerCase()
  }
  return hex
}

const hexOf = (bytes: number[]) => Buffer.from(bytes).toString('hex')

test.group('FACTURATION — typographie du PDF', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the quotient reads "1 050 €" with a no-break space the standard fonts can draw', async ({ assert }) => {
    const { invoice } = await familyWithInvoice(3, { quotient: 1050 })
    const hex = shownHex(await invoicePdf(invoice))
    // "1", no-break space (0xA0), "050", no-break space, "€" (0x80 in WinAnsi)
    assert.include(hex, hexOf([0x31, 0xa0, 0x30, 0x35, 0x30, 0xa0, 0x80]))
    // "9,15 €": the total, same spacing
    assert.include(hex, hexOf([0x39, 0x2c, 0x31, 0x35, 0xa0, 0x80]))
    assert.notInclude(hex, '202f', 'a narrow space has no glyph in WinAnsi')
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import InvoiceLine from '#modules/billing/models/invoice_line'
import { invoicePdf } from '#modules/billing/services/pdf_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { elementText, pdfCatalog, pdfStructure, type PdfElement } from '#modules/billing/tests/pdf_structure'

/** `pdfinfo` (Debian: poppler-utils, installed by .ci/run) on the PDF, with `-struct-text` if asked. */
function pdfinfo(pdf: Buffer, ...options: string[]) {
  const folder = mkdtempSync(join(tmpdir(), 'facture-'))
  try {
    const file = join(folder, 'facture.pdf')
    writeFileSync(file, pdf)
    const result = spawnSync('pdfinfo', [...options, file], { encoding: 'utf8' })
    if (result.error) throw new Error(`pdfinfo introuvable (apt-get install -y poppler-utils) : ${result.error.message}`)
    return `${result.stdout}${result.stderr}`
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const ofType = (elements: PdfElement[], type: string) => elements.filter((element) => element.type === type)

test.group('FACTURATION — PDF balisé (RGAA 13.3)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the catalog: marked, a structure tree, French, the title shown', async ({ assert }) => {
    const { invoice } = await familyWithInvoice(3)
    const catalog = pdfCatalog(await invoicePdf(invoice))
    assert.match(catalog.markInfo ?? '', /\/Marked\s+true/)
    assert.match(catalog.structTreeRoot ?? '', /\/Type\s*\/StructTreeRoot/)
    assert.equal(catalog.lang, '(fr-FR)')
    assert.match(catalog.viewerPreferences ?? '', /\/DisplayDocTitle\s+true/)
    assert.equal(catalog.title, `Facture ${invoice.number}`)
  })

  test('headings, the family outside the table, the lines as a table with its header row and totals', async ({ assert }) => {
    const { invoice } = await familyWithInvoice(3, { quotient: 1050 })
    const { root, elements, unmarked } = pdfStructure(await invoicePdf(invoice))
    assert.deepEqual(root.map((element) => element.type), ['Document'])
    assert.equal(unmarked, 0, 'every text and rule is either tagged content or an artifact')

    const [title] = ofType(elements, 'H1')
    assert.equal(ofType(elements, 'H1').length, 1)
    assert.equal(title.text, `Facture n° ${invoice.number}`)
    assert.deepEqual(ofType(elements, 'H2').map((element) => element.text), ['Détail de la facture', 'Comment payer'])

    // The family's name and address: paragraphs, in no table (they were read in its header).
    const familyName = elements.find((element) => element.text.includes(invoice.familyName))!
    const address = elements.find((element) => element.text.includes('rue des Écoles'))!
    for (const element of [familyName, address]) {
      assert.equal(element.type, 'P')
      assert.notIncludeMembers(element.ancestors, ['Table', 'THead', 'TBody', 'TFoot', 'TR', 'TH', 'TD'])
    }
    const quotient = elements.find((element) => element.text.startsWith('Quotient familial retenu'))!
    assert.equal(quotient.type, 'P')
    assert.equal(quotient.text, 'Quotient familial retenu : 1\u00a0050\u00a0€')

    // The table: one header row of TH, the lines in TD, the totals in its foot with a row header.
    const [table] = ofType(elements, 'Table')
    assert.deepEqual(table.children.map((part) => part.type), ['THead', 'TBody', 'TFoot'])
    const [head, body, foot] = table.children
    assert.deepEqual(head.children.map((row) => row.type), ['TR'])
    assert.deepEqual(head.children[0].children.map((cell) => `${cell.type} ${cell.text}`), ['TH Désignation', 'TH Quantité', 'TH Prix unitaire', 'TH Total'])
    const line = body.children[0].children
    assert.deepEqual(line.map((cell) => cell.type), ['TD', 'TD', 'TD', 'TD'])
    assert.match(line[0].text, /^Cantine .* — Lya : 3 repas$/)
    assert.deepEqual(line.slice(1).map((cell) => cell.text), ['3', '3,05\u00a0€', '9,15\u00a0€'])
    assert.deepEqual(foot.children.map((row) => row.children.map((cell) => `${cell.type} ${cell.text}`)), [
      ['TH Total de la facture', 'TD 9,15\u00a0€'],
      ['TH Reste à payer', 'TD 9,15\u00a0€'],
    ])

    // The reading order: the commune, the invoice, the family, the lines, how to pay.
    const reading = elementText(root[0])
    const order = ['Ma commune', `Facture n° ${invoice.number}`, 'Période', 'Quotient familial', invoice.familyName, 'rue des Écoles', 'Désignation', 'Lya : 3 repas', 'Reste à payer', 'Comment payer', 'PayFiP']
    const positions = order.map((text) => reading.indexOf(text))
    assert.notInclude(positions, -1, reading)
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), reading)
  })

  test('a table over two pages stays one table, every page tagged', async ({ assert }) => {
    const { invoice } = await familyWithInvoice(3)
    const lines = Array.from({ length: 70 }, (_, index) =>
      new InvoiceLine().merge({ invoiceId: invoice.id, position: index + 1, kind: 'booking', label: `Ligne ${index + 1}`, quantity: 1, unitPriceCents: 100, totalCents: 100 })
    )
    invoice.$setRelated('lines', lines)
    const { elements, unmarked } = pdfStructure(await invoicePdf(invoice))
    assert.equal(unmarked, 0)
    assert.lengthOf(ofType(elements, 'Table'), 1)
    const rows = ofType(elements, 'TR').filter((row) => row.ancestors.includes('TBody'))
    assert.lengthOf(rows, 70)
    assert.equal(rows[69].children[0].text, 'Ligne 70')
    assert.deepEqual(rows[69].children[0].pages, [2])
    const payHeading = ofType(elements, 'H2').find((heading) => heading.text === 'Comment payer')!
    assert.deepEqual(payHeading.pages, [2])
  })

  test('pdfinfo (poppler) reads it as tagged, with its structure', async ({ assert }) => {
    const { invoice } = await familyWithInvoice(3)
    const pdf = await invoicePdf(invoice)
    assert.match(pdfinfo(pdf), /^Tagged:\s+yes$/m)
    const structure = pdfinfo(pdf, '-struct-text')
    assert.match(structure, /^Document\n/)
    assert.match(structure, /H1 \(block\)\n\s+"Facture n° /)
    assert.match(structure, /TH:\n\s+\/Scope \/Column\n\s+"Désignation"/)
  })
})

import { test } from '@japa/runner'
import { readStatusReport, StatusReportError } from '#modules/billing/services/sepa/pain002_reader'
import { KNOWN_REJECT_CODES, rejectReasonForStaff, rejectReasonText } from '#modules/billing/services/sepa/reject_reasons'
import { pain002 } from '#modules/billing/tests/pain002_fixture'

test.group('SEPA reject reasons in words', () => {
  test('the common codes read as sentences, never as the code', ({ assert }) => {
    assert.equal(rejectReasonText('AM04'), 'la provision du compte était insuffisante le jour du prélèvement')
    assert.equal(rejectReasonText('MD01'), 'votre banque ne connaît pas de mandat de prélèvement pour ce compte')
    assert.equal(rejectReasonText('MD06'), 'le titulaire du compte a contesté ce prélèvement auprès de sa banque')
    assert.equal(rejectReasonText('ac04'), 'le compte bancaire du mandat est clôturé')
    for (const code of ['AC01', 'AC04', 'AC06', 'AG01', 'AM04', 'MD01', 'MD06', 'MS02', 'MS03', 'RR01', 'RR02', 'RR03', 'RR04', 'SL01']) {
      assert.include(KNOWN_REJECT_CODES, code)
      assert.notMatch(rejectReasonText(code), /\b[A-Z]{2}\d{2}\b/)
    }
  })

  test('an unknown or missing code still gives a sentence; staff see the code beside it', ({ assert }) => {
    assert.equal(rejectReasonText('ZZ99'), 'la banque ne l’a pas accepté')
    assert.equal(rejectReasonText(null), 'la banque ne l’a pas accepté')
    assert.equal(rejectReasonForStaff('AM04'), 'AM04 — la provision du compte était insuffisante le jour du prélèvement')
  })
})

test.group('pain.002.001.03 status report', () => {
  test('reads the rejected transactions with their code, a rejected PmtInf and a rejected group; accepted ones are left out', ({ assert }) => {
    const xml = pain002({
      messageId: 'RET-42',
      createdAt: '2026-11-12T08:30:00+01:00',
      originalMessageId: 'PF-202609-20261102100000',
      groupStatus: 'PART',
      payments: [
        { id: 'PF-202609-20261102100000-FRST', status: 'PART', transactions: [{ endToEndId: 'FAC-2026-000001', reason: 'AM04' }, { endToEndId: 'FAC-2026-000002', status: 'ACCP' }] },
        { id: 'PF-202609-20261102100000-RCUR', status: 'RJCT', reason: 'MS03', transactions: [{ endToEndId: 'FAC-2026-000003' }] },
      ],
    })
    const report = readStatusReport(xml, 'retour.xml')
    assert.equal(report.messageId, 'RET-42')
    assert.equal(report.reportedOn, '2026-11-12')
    assert.equal(report.originalMessageId, 'PF-202609-20261102100000')
    assert.deepEqual(report.paymentInfoIds, ['PF-202609-20261102100000-FRST', 'PF-202609-20261102100000-RCUR'])
    assert.deepEqual(report.rejections, [
      { scope: 'transaction', paymentInfoId: 'PF-202609-20261102100000-FRST', endToEndId: 'FAC-2026-000001', code: 'AM04' },
      { scope: 'payment', paymentInfoId: 'PF-202609-20261102100000-RCUR', code: 'MS03' },
      { scope: 'transaction', paymentInfoId: 'PF-202609-20261102100000-RCUR', endToEndId: 'FAC-2026-000003', code: 'MS03' },
    ])

    const group = readStatusReport(pain002({ originalMessageId: 'PF-1', groupStatus: 'RJCT', groupReason: 'FF01' }), 'lot.xml')
    assert.deepEqual(group.rejections, [{ scope: 'group', code: 'FF01' }])
  })

  test('malformed XML is refused with file:line:column and a French message', ({ assert }) => {
    const xml = pain002({ originalMessageId: 'PF-1', payments: [{ id: 'PF-1-FRST', transactions: [{ endToEndId: 'FAC-1' }] }] }).replace('</TxSts>', '</TxStatus>')
    const line = xml.split('\n').findIndex((text) => text.includes('</TxStatus>')) + 1
    assert.throws(() => readStatusReport(xml, 'retour.xml'), StatusReportError)
    try {
      readStatusReport(xml, 'retour.xml')
    } catch (error) {
      assert.match((error as Error).message, new RegExp(`^retour\\.xml:${line}:\\d+: balise mal formée, mal fermée ou inattendue : fermeture de <TxStatus> alors que <TxSts> est encore ouverte$`))
    }
    assert.throws(() => readStatusReport('<Document>\n  <a b="1></Document>', 'x.xml'), /^x\.xml:2:\d+: /)
  })

  test('another format is refused by its name (camt.054 is not read), and a report about a credit transfer too', ({ assert }) => {
    const camt = pain002({ originalMessageId: 'PF-1', namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02' })
    assert.throws(() => readStatusReport(camt, 'avis.xml'), 'avis.xml : ce fichier est un message camt.054.001.02 ; seul le compte rendu de statut pain.002.001.03 (Customer Payment Status Report) est accepté.')
    assert.throws(() => readStatusReport(pain002({ originalMessageId: 'PF-1', originalName: 'pain.001.001.03' }), 'r.xml'), /répond à un message pain\.001\.001\.03, pas à un fichier de prélèvement/)
    assert.throws(() => readStatusReport(pain002({ originalMessageId: '' }), 'r.xml'), 'r.xml : élément OrgnlGrpInfAndSts/OrgnlMsgId manquant ou vide.')
  })
})

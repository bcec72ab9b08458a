import { test } from '@japa/runner'
import { writePain008, type Pain008Batch, type Pain008Transaction } from '#modules/billing/services/sepa/pain008_writer'
import { decimalAmount, sepaIdError, sepaText } from '#modules/billing/services/sepa/sepa_text'
import { validatePain008 } from '#modules/billing/tests/xmllint'

function line(overrides: Partial<Pain008Transaction>): Pain008Transaction {
  return {
    endToEndId: 'FAC-2026-000001',
    amountCents: 1220,
    sequence: 'FRST',
    rum: 'F0001-20260915-01',
    signedOn: '2026-09-15',
    debtorName: 'Camille Martin',
    iban: 'FR7630006000011234567890189',
    bic: 'BNPAFRPP',
    remittance: 'Facture 2026-000001 septembre 2026',
    ...overrides,
  }
}

const batch: Pain008Batch = {
  messageId: 'PF-202609-20261202171500',
  createdAt: '2026-12-02T17:15:00',
  collectionDate: '2026-12-10',
  creditor: { name: 'Mairie de Colomars — Régie périscolaire', ics: 'FR72ZZZ123456', iban: 'FR7630001007941234567890185', bic: 'BDFEFRPPCCT' },
  transactions: [
    line({}),
    line({ endToEndId: 'FAC-2026-000002', amountCents: 5, debtorName: "O'Brien & Fils", rum: 'F0002-20260101-01', signedOn: '2026-01-01', bic: null, iban: 'DE89370400440532013000' }),
    line({ endToEndId: 'FAC-2026-000003', amountCents: 123456, sequence: 'RCUR', debtorName: 'Élise Lefèvre-Œuvray <chez Zoë>', rum: 'F0003-20250301-02', signedOn: '2025-03-01' }),
  ],
}

/** The text of each `<name>` in order. */
const values = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => match[1])

test.group('SEPA pain.008.001.02 writer', () => {
  test('a batch with first and recurring debits validates against the ISO 20022 schema', ({ assert }) => {
    const xml = writePain008(batch)
    const result = validatePain008(xml)
    assert.isTrue(result.valid, result.output)
    assert.include(result.output, 'validates')
    const broken = validatePain008(xml.replace('<SeqTp>FRST</SeqTp>', '<SeqTp>FIRST</SeqTp>'))
    assert.isFalse(broken.valid, 'a sequence type outside the schema is refused')
    assert.include(broken.output, 'SeqTp')
  })

  test('one PmtInf per sequence type, counts and control sums exact at both levels, amounts with 2 decimals', ({ assert }) => {
    const xml = writePain008(batch)
    assert.deepEqual(values(xml, 'SeqTp'), ['FRST', 'RCUR'])
    assert.deepEqual(values(xml, 'NbOfTxs'), ['3', '2', '1'])
    assert.deepEqual(values(xml, 'CtrlSum'), ['1246.81', '12.25', '1234.56'])
    assert.deepEqual([...xml.matchAll(/<InstdAmt Ccy="EUR">([^<]*)<\/InstdAmt>/g)].map((match) => match[1]), ['12.20', '0.05', '1234.56'])
    assert.deepEqual(values(xml, 'PmtInfId'), ['PF-202609-20261202171500-FRST', 'PF-202609-20261202171500-RCUR'])
    assert.deepEqual(values(xml, 'MndtId'), ['F0001-20260915-01', 'F0002-20260101-01', 'F0003-20250301-02'])
    assert.deepEqual(values(xml, 'DtOfSgntr'), ['2026-09-15', '2026-01-01', '2025-03-01'])
    assert.include(xml, '<Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr>')
    assert.include(xml, '<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>')
    assert.equal(writePain008(batch), xml, 'the same batch, the same bytes')
  })

  test('only one sequence: a single PmtInf', ({ assert }) => {
    const xml = writePain008({ ...batch, transactions: [batch.transactions[2]] })
    assert.deepEqual(values(xml, 'SeqTp'), ['RCUR'])
    assert.isTrue(validatePain008(xml).valid)
  })

  test('names are transliterated to the SEPA Latin set and escaped', ({ assert }) => {
    const xml = writePain008(batch)
    assert.deepEqual(values(xml, 'Nm'), ['Mairie de Colomars Regie periscolaire', 'Mairie de Colomars Regie periscolaire', 'Camille Martin', 'O&apos;Brien et Fils', 'Mairie de Colomars Regie periscolaire', 'Elise Lefevre-OEuvray chez Zoe'])
    assert.equal(sepaText('Ça coûte 5 € — « ok » ; ß', 70), 'Ca coute 5 ok ss')
    assert.equal(sepaText('x'.repeat(80), 70).length, 70)
  })

  test('amounts and identifiers are checked', ({ assert }) => {
    assert.equal(decimalAmount(0), '0.00')
    assert.equal(decimalAmount(7), '0.07')
    assert.equal(decimalAmount(100000), '1000.00')
    assert.throws(() => decimalAmount(12.5))
    assert.isNull(sepaIdError('FAC-2026-000001'))
    assert.isNotNull(sepaIdError('x'.repeat(36)))
    assert.isNotNull(sepaIdError('FAC_2026'))
    assert.isNotNull(sepaIdError('/FAC'))
    assert.throws(() => writePain008({ ...batch, transactions: [] }), 'sans opération')
    assert.throws(() => writePain008({ ...batch, transactions: [line({}), line({})] }), 'même EndToEndId')
    assert.throws(() => writePain008({ ...batch, messageId: 'PF-202609-20261202171500-TOO-LONG-ID' }))
  })
})

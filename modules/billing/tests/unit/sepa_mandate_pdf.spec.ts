import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { mandatePdf, type SignedMandate } from '#modules/billing/services/sepa/mandate_pdf'
import { mandateText } from '#modules/billing/services/sepa/mandate_text'
import { pdfText } from '#modules/billing/tests/pdf_text'

const commune = { name: 'Colomars', colorPrimary: '#1f4e79' }
const creditor = { id: 'FR72ZZZ123456', name: 'Colomars', address: '1 place de la Mairie, 06670 Colomars' }
const signed: SignedMandate = {
  rum: 'DEMO001-20261202-01',
  holderName: 'Aïssatou N’Diaye',
  holderAddress: ['3 chemin des Œillets', '06670 Colomars'],
  ibanMasked: 'FR76 •••• •••• •••• •••• •••• 189',
  bic: null,
  // 17:05 UTC is 18:05 in Paris in winter.
  signedAt: DateTime.fromISO('2026-12-02T17:05:00Z', { zone: 'utc' }),
  signedBy: 'Aïssatou N’Diaye',
}

test.group('SEPA: the signed mandate PDF', () => {
  test('says what was signed, in the order of a paper mandate, with the Paris time and French characters intact', async ({ assert }) => {
    const pdf = await mandatePdf(commune, creditor, signed)
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
    const text = pdfText(pdf)
    const expected = [
      'Mandat de prélèvement SEPA',
      'Référence unique du mandat (RUM) : DEMO001-20261202-01',
      'Type de paiement : récurrent',
      'Créancier Nom : Colomars Adresse : 1 place de la Mairie, 06670 Colomars Identifiant créancier SEPA (ICS) : FR72ZZZ123456',
      'Débiteur Titulaire du compte : Aïssatou N’Diaye Adresse : 3 chemin des Œillets, 06670 Colomars',
      'IBAN : FR76 •••• •••• •••• •••• •••• 189',
      'BIC : non indiqué',
      ...mandateText('Colomars', 'document'),
      'Signé électroniquement le 02/12/2026 à 18:05 (heure de Paris) par Aïssatou N’Diaye',
    ]
    let from = 0
    for (const part of expected) {
      const at = text.indexOf(part, from)
      assert.isAtLeast(at, 0, `« ${part} » missing or out of order in: ${text}`)
      from = at + part.length
    }
    assert.notInclude(text, 'sur cette page', 'the PDF does not speak of the signing page')
    assert.include(text, 'rubrique FACTURATION, page « Prélèvement automatique »')
  })

  test('a creditor without an address and a family without one print no empty "Adresse" line', async ({ assert }) => {
    const text = pdfText(await mandatePdf(commune, { ...creditor, address: null }, { ...signed, holderAddress: [], bic: 'AGRIFRPP' }))
    assert.notInclude(text, 'Adresse')
    assert.include(text, 'BIC : AGRIFRPP')
  })
})

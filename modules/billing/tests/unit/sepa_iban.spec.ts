import { test } from '@japa/runner'
import {
  bicError,
  creditorIdError,
  formatIban,
  generateRum,
  ibanError,
  maskIban,
  normalizeIban,
  RUM_PATTERN,
  SEPA_COUNTRIES,
} from '#modules/billing/services/sepa/iban'

/** Real-format IBANs with correct check digits (examples of the banks' and ECBS registers). */
const VALID = {
  FR: 'FR76 3000 6000 0112 3456 7890 189',
  DE: 'DE89 3704 0044 0532 0130 00',
  BE: 'BE68 5390 0754 7034',
  ES: 'ES91 2100 0418 4502 0005 1332',
  IT: 'IT60 X054 2811 1010 0000 0123 456',
  NL: 'NL91 ABNA 0417 1643 00',
  MC: 'MC58 1122 2000 0101 2345 6789 030',
  LU: 'LU28 0019 4006 4475 0000',
  CH: 'CH93 0076 2011 6238 5295 7',
  GB: 'GB29 NWBK 6016 1331 9268 19',
}

test.group('SEPA: IBAN', () => {
  test('valid IBANs of the SEPA countries, typed with spaces, hyphens or lower case', ({ assert }) => {
    for (const [country, iban] of Object.entries(VALID)) {
      assert.isNull(ibanError(iban), country)
      assert.isNull(ibanError(iban.toLowerCase().replace(/ /g, '-')), `${country} lower case`)
      assert.lengthOf(normalizeIban(iban), SEPA_COUNTRIES[country].length)
    }
    assert.isNull(ibanError('FR14 2004 1010 0505 0001 3M02 606'))
  })

  test('a wrong length names the expected length and the country', ({ assert }) => {
    assert.equal(
      ibanError('FR76 3000 6000 0112 3456 7890 18'),
      "L'IBAN doit compter 27 caractères pour la France (FR) : vous en avez saisi 26."
    )
    assert.equal(ibanError('DE89 3704 0044 0532 0130 000'), "L'IBAN doit compter 22 caractères pour l'Allemagne (DE) : vous en avez saisi 23.")
  })

  test('a wrong check (one character changed, two swapped)', ({ assert }) => {
    const message = "La clé de contrôle de l'IBAN est fausse : vérifiez chaque caractère."
    assert.equal(ibanError('FR76 3000 6000 0112 3456 7890 188'), message)
    assert.equal(ibanError('FR76 3000 6000 0112 3456 7809 189'), message)
    assert.equal(ibanError('DE88 3704 0044 0532 0130 00'), message)
    assert.equal(ibanError('NL91 ABNA 0417 1643 01'), message)
  })

  test('letters where digits go, other signs, a country outside SEPA, empty', ({ assert }) => {
    assert.equal(ibanError('FR76 3000 6000 0112 3456 7890 18#'), "L'IBAN ne contient que des lettres et des chiffres : retirez les autres signes.")
    assert.equal(ibanError('FRAB 3000 6000 0112 3456 7890 189'), "Après les lettres FR, l'IBAN continue par deux chiffres (la clé de contrôle).")
    assert.equal(ibanError('7630 0060 0001 1234 5678 9018 9'), "L'IBAN commence par les deux lettres du pays du compte (FR pour la France).")
    assert.match(ibanError('US12 3456 7890 1234 5678 90')!, /^Ce pays \(US\) n'est pas dans la zone SEPA/)
    assert.match(ibanError('TR33 0006 1005 1978 6457 8413 26')!, /^Ce pays \(TR\) n'est pas dans la zone SEPA/)
    assert.equal(ibanError('  '), "Saisissez l'IBAN du compte à débiter.")
  })

  test('groups of four; masked: country, check digits and the last 3 or 4 characters', ({ assert }) => {
    assert.equal(formatIban('fr7630006000011234567890189'), 'FR76 3000 6000 0112 3456 7890 189')
    assert.equal(maskIban(VALID.FR), 'FR76 •••• •••• •••• •••• •••• 189')
    assert.equal(maskIban(VALID.BE), 'BE68 •••• •••• 7034')
    assert.equal(maskIban(VALID.DE), 'DE89 •••• •••• •••• ••30 00')
    for (const iban of Object.values(VALID)) {
      const masked = maskIban(iban).replace(/ /g, '')
      assert.equal(masked.length, normalizeIban(iban).length)
      assert.isAtMost(masked.replace(/•/g, '').length, 8)
      assert.notInclude(masked, normalizeIban(iban).slice(4, -4))
    }
  })
})

test.group('SEPA: BIC', () => {
  test('8 or 11 characters of the right shape, of the IBAN country', ({ assert }) => {
    assert.isNull(bicError('BNPAFRPP', VALID.FR))
    assert.isNull(bicError('bnpa frpp xxx', VALID.FR))
    assert.isNull(bicError('COBADEFFXXX', VALID.DE))
    assert.isNull(bicError('CMCIMCM1', VALID.MC))
    assert.isNull(bicError('BNPAFRPP', VALID.MC), 'a French bank in Monaco')
    assert.isNull(bicError('BNPAFRPP'), 'without an IBAN to compare with')
  })

  test('wrong length or shape, another country than the IBAN', ({ assert }) => {
    const length = 'Le BIC compte 8 ou 11 lettres et chiffres (par exemple BNPAFRPP ou BNPAFRPPXXX).'
    assert.equal(bicError('BNPAFRP', VALID.FR), length)
    assert.equal(bicError('BNPAFRPPXX', VALID.FR), length)
    assert.equal(bicError('BNPA-FRPP', VALID.FR), length)
    assert.equal(bicError('BNP1FRPP', VALID.FR), 'Le BIC commence par 6 lettres : 4 pour la banque, puis 2 pour le pays (par exemple BNPAFRPP).')
    assert.equal(
      bicError('COBADEFF', VALID.FR),
      "Ce BIC est celui d'une banque de l'Allemagne (DE) mais l'IBAN est celui d'un compte de la France (FR) : vérifiez-les."
    )
  })
})

test.group('SEPA: RUM and creditor identifier', () => {
  test('a RUM of at most 35 allowed characters, the family, the day, the counter', ({ assert }) => {
    assert.equal(generateRum('F000123', '2026-09-14', 1), 'F000123-20260914-01')
    assert.equal(generateRum('fam/12 é', '2026-09-14', 12), 'FAM12-20260914-12')
    const long = generateRum('X'.repeat(60), '2026-09-14', 3)
    assert.isAtMost(long.length, 35)
    assert.match(long, RUM_PATTERN)
    assert.match(generateRum('---', '2026-09-14', 1), RUM_PATTERN)
    assert.notMatch('A//B', RUM_PATTERN)
  })

  test('ICS: shape, 13 characters in France, check digits', ({ assert }) => {
    assert.isNull(creditorIdError('FR72ZZZ123456'))
    assert.isNull(creditorIdError('fr72 zzz 123456'))
    assert.isNull(creditorIdError('FR72ABC123456'), 'the business code is not in the check')
    assert.match(creditorIdError('FR73ZZZ123456')!, /clé de contrôle/)
    assert.match(creditorIdError('FR72ZZZ1234567')!, /13 caractères/)
    assert.match(creditorIdError('F72ZZZ123456')!, /2 lettres du pays/)
  })
})

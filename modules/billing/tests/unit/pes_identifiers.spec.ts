import { test } from '@japa/runner'
import { normalizePesValue, pesVariable, siretError } from '#core/pes_identifiers'

const check = (name: string, value: string) => pesVariable(name)!.check(normalizePesValue(name, value))

test.group('PES V2 identifiers (start/env.ts)', () => {
  test('SIRET: 14 digits and a Luhn key; La Poste establishments are accepted', ({ assert }) => {
    assert.isNull(siretError('21060004200019'))
    assert.isNull(siretError('73282932000074'))
    assert.include(siretError('21060004200018')!, 'la clé du SIRET est fausse')
    assert.include(siretError('2106000420001')!, '14 chiffres')
    assert.include(siretError('2106000420001A')!, '14 chiffres')
    assert.isNull(siretError('35600000000048'))
  })

  test('codes: lengths, capitals, spaces removed; labels keep their spaces', ({ assert }) => {
    assert.isNull(check('PES_ID_POST', '006034'))
    assert.include(check('PES_ID_POST', '60341')!, '6 chiffres')
    assert.isNull(check('PES_COD_COL', ' 12a '))
    assert.equal(normalizePesValue('PES_COD_COL', ' 12a '), '12A')
    assert.include(check('PES_COD_COL', '1234')!, '3 caractères')
    assert.isNull(check('PES_COD_BUD', '01'))
    assert.include(check('PES_COD_BUD', '1')!, '2 caractères')
    assert.isNull(check('PES_NATURE', '7067'))
    assert.include(check('PES_NATURE', '70-67')!, 'de 2 à 10 chiffres')
    assert.isNull(check('PES_FONCTION', '251'))
    assert.equal(normalizePesValue('PES_LIBELLE_COL_BUD', ' Commune  de Colomars '), 'Commune de Colomars')
    assert.include(check('PES_LIBELLE_COL_BUD', 'x'.repeat(51))!, '1 à 50 caractères')
  })
})

import { test } from '@japa/runner'
import fc from 'fast-check'
import { characterKinds, checkPassword, countWords } from '#modules/accounts/services/password_policy'

test.group('Password rule (CNIL 2022-100)', () => {
  test('accepts 12 characters of 3 kinds', ({ assert }) => {
    assert.isTrue(checkPassword('Jardin-soleil').ok) // lower, upper, symbol
    assert.isTrue(checkPassword('jardinsoleil4!').ok) // lower, digit, symbol
    assert.isTrue(checkPassword('JARDINSOLEIL42a').ok)
  })

  test('refuses fewer than 12 characters even with 4 kinds', ({ assert }) => {
    const result = checkPassword('Ab1!Ab1!Ab1')
    assert.isFalse(result.ok)
    assert.match((result as any).message, /trop court \(11 caractères\)/)
  })

  test('refuses 12+ characters of only 2 kinds, saying why', ({ assert }) => {
    const result = checkPassword('jardinsoleil42')
    assert.isFalse(result.ok)
    assert.match((result as any).message, /que 2 types/)
  })

  test('accepts a passphrase of 20+ characters and 4 words', ({ assert }) => {
    assert.isTrue(checkPassword('le chat dort sur le canapé').ok)
    assert.equal(countWords('le chat dort sur le canapé'), 6)
  })

  test('refuses a long single word and a passphrase of 3 words', ({ assert }) => {
    assert.isFalse(checkPassword('anticonstitutionnellement').ok)
    assert.isFalse(checkPassword('anticonstitutionnel vraiment long').ok)
  })

  test('refuses a password containing the user name', ({ assert }) => {
    assert.isFalse(checkPassword('Marie.Dupont-2026', { username: 'marie.dupont' }).ok)
    assert.isTrue(checkPassword('Marie.Dupont-2026', { username: 'autre.nom' }).ok)
  })

  test('kinds recognise accented letters and symbols', ({ assert }) => {
    assert.deepEqual(characterKinds('é'), { lower: true, upper: false, digit: false, symbol: false })
    assert.deepEqual(characterKinds('É '), { lower: false, upper: true, digit: false, symbol: true })
  })

  test('never accepts anything under 12 characters (property)', ({ assert }) => {
    fc.assert(
      fc.property(fc.string({ maxLength: 11 }), (password) => {
        assert.isFalse(checkPassword(password).ok)
      })
    )
  })

  test('every accepted password meets one of the two branches (property)', ({ assert }) => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), (password) => {
        if (!checkPassword(password).ok) return
        const length = [...password].length
        const kinds = Object.values(characterKinds(password)).filter(Boolean).length
        assert.isTrue((length >= 12 && kinds >= 3) || (length >= 20 && countWords(password) >= 4))
      })
    )
  })
})

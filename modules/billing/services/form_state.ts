import type { HttpContext } from '@adonisjs/core/http'

/**
 * For forms answered on the same request (GET forms such as the public simulator): shares
 * the input and the errors the way a redirect would, so the shared `field` and `errorSummary`
 * components show them.
 */
export function shareFormState(ctx: HttpContext, values: Record<string, unknown>, errors: Record<string, string[]>) {
  const store: Record<string, unknown> = { ...values }
  if (Object.keys(errors).length) store.inputErrorsBag = errors
  ctx.view.share({
    flashMessages: {
      get: (key: string, fallback?: unknown) => (key in store ? store[key] : fallback),
      has: (key: string) => key in store && store[key] !== undefined,
      all: () => store,
    },
  })
}

/** "36 000,50" or "36000.5" → cents; null when empty; NaN when not a positive amount. */
export function parseEuros(raw: unknown): number | null {
  if (raw === undefined || raw === null) return null
  const text = String(raw).replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
  if (text === '') return null
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) return Number.NaN
  const [whole, decimals = ''] = text.split('.')
  return Number(whole) * 100 + Number(decimals.padEnd(2, '0'))
}

export function parseWhole(raw: unknown, min: number, max: number): number | null {
  if (raw === undefined || raw === null || String(raw).trim() === '') return null
  const text = String(raw).trim()
  if (!/^\d+$/.test(text)) return Number.NaN
  const value = Number(text)
  return value < min || value > max ? Number.NaN : value
}

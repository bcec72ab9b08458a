/**
 * The values of a form list (`name[]` checkboxes) whatever shape the body parser gave it:
 * an array, one value, nothing, or an object keyed by index (what qs makes of a list longer
 * than its arrayLimit, or of sparse indexes).
 */
export function listInput(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => /^\d+$/.test(key))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item)
  }
  return [value]
}

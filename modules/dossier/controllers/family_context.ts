/** A positive integer from a route parameter, or 0 (which matches no row: a 404). */
export function idParam(value: unknown): number {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 ? id : 0
}

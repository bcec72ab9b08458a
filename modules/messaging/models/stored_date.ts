/** A timestamp as stored by any writer (Lucid's text, a JS Date, SQLite's epoch milliseconds). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(value as string | number)
  return Number.isNaN(date.getTime()) ? null : date
}

/** JSON list columns stored as text (SQLite and PostgreSQL alike). */
export function parseList<T = string>(value: unknown): T[] {
  if (value === null || value === undefined || value === '') return []
  if (Array.isArray(value)) return value as T[]
  try {
    const parsed = JSON.parse(String(value))
    return Array.isArray(parsed) ? (parsed as T[]) : []
  } catch {
    return []
  }
}

export function parseNullableList<T = string>(value: unknown): T[] | null {
  if (value === null || value === undefined || value === '') return null
  const list = parseList<T>(value)
  return list.length ? list : null
}

export function serializeList(value: unknown[] | null | undefined): string | null {
  return value && value.length ? JSON.stringify(value) : null
}

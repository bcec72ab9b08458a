/** What the database drivers answer, read the same way on PostgreSQL and SQLite. */

/** Rows touched by an UPDATE or DELETE: a number (knex), `[n]` (Lucid), `rowCount` (pg) or `changes` (better-sqlite3). */
export function affectedRows(result: unknown): number {
  if (typeof result === 'number') return result
  if (Array.isArray(result)) return typeof result[0] === 'number' ? result[0] : result.length
  const value = result as { rowCount?: number; changes?: number } | null
  return Number(value?.rowCount ?? value?.changes ?? 0)
}

/** A unique (or primary) key refused the row: PostgreSQL 23505, SQLite's constraint codes or message. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return (
    code === '23505' ||
    String(code ?? '').startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/i.test(String(message ?? ''))
  )
}

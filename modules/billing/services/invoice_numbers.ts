import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * Takes the next `count` numbers of a yearly counter inside the caller's transaction and returns
 * the first (no gap: a rollback gives them back).
 */
export async function reserveNumbers(trx: TransactionClientContract, kind: 'invoice' | 'credit', year: number, count: number): Promise<number> {
  await trx.table('invoice_sequences').insert({ kind, year, last: 0 }).knexQuery.onConflict(['kind', 'year']).ignore()
  await trx.rawQuery('UPDATE invoice_sequences SET last = last + ? WHERE kind = ? AND year = ?', [count, kind, year])
  const row = await trx.from('invoice_sequences').where({ kind, year }).select('last').firstOrFail()
  return Number(row.last) - count + 1
}

/** Takes the next number of a yearly counter inside the caller's transaction (no gap: a rollback gives it back). */
export function nextNumber(trx: TransactionClientContract, kind: 'invoice' | 'credit', year: number): Promise<number> {
  return reserveNumbers(trx, kind, year, 1)
}

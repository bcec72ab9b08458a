import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** Takes the next number of a yearly counter inside the caller's transaction (no gap: a rollback gives it back). */
export async function nextNumber(trx: TransactionClientContract, kind: 'invoice' | 'credit', year: number): Promise<number> {
  await trx.table('invoice_sequences').insert({ kind, year, last: 0 }).knexQuery.onConflict(['kind', 'year']).ignore()
  await trx.rawQuery('UPDATE invoice_sequences SET last = last + 1 WHERE kind = ? AND year = ?', [kind, year])
  const row = await trx.from('invoice_sequences').where({ kind, year }).select('last').firstOrFail()
  return Number(row.last)
}

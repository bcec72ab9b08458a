import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import router from '@adonisjs/core/services/router'
import type { PaymentMethod } from '#modules/billing/models/money_on_invoice'
import { historyService } from '#modules/dossier/index'
import { insertMany } from '#core/bulk_insert'
import { chunks } from '#core/chunks'
import { dbTimeOf } from '#core/db_time'
import { formatMoney } from '#core/format'

/** One payment of a bulk run, on an invoice the caller holds (read and locked in its transaction). */
export interface BulkPayment {
  invoice: {
    id: number
    familyId: number
    number: string
    balanceCents: number
  }
  method: PaymentMethod
  /** At most the invoice's balance (the caller counts the rest as an overpayment). */
  amountCents: number
  receiptNumber: string | null
  paidOn: string
}

/** Most rows of one `amountsTable` (SQLite's compound SELECT takes 500 terms). */
export const AMOUNTS_PER_STATEMENT = 200

/**
 * An (id, amount) table for `UPDATE invoices … FROM <table> AS v WHERE invoices.id = v.id`
 * (SQLite 3.33+ and PostgreSQL): one amount per invoice in one statement. PostgreSQL gets two
 * arrays (`unnest`): planning a compound SELECT of 200 terms cost it more than the update.
 */
export function amountsTable(client: QueryClientContract, rows: Array<{ id: number; amountCents: number }>) {
  if (rows.length > AMOUNTS_PER_STATEMENT) throw new Error(`amountsTable: at most ${AMOUNTS_PER_STATEMENT} rows`)
  const integers = (values: number[]) => {
    if (!values.every(Number.isInteger)) throw new Error('amountsTable: integers only')
    return `{${values.join(',')}}`
  }
  if (client.dialect.name === 'postgres') {
    return {
      sql: 'unnest(CAST(? AS integer[]), CAST(? AS integer[])) AS v(id, amount)',
      bindings: [integers(rows.map((row) => row.id)), integers(rows.map((row) => row.amountCents))],
    }
  }
  return {
    sql: `(${rows.map(() => 'SELECT CAST(? AS integer) AS id, CAST(? AS integer) AS amount').join(' UNION ALL ')}) AS v`,
    bindings: rows.flatMap((row) => [row.id, row.amountCents]),
  }
}

/**
 * `invoiceService.applyPayment` for many invoices at once (the month's debits on their
 * collection day): the same invoice update (paid amount, status, paid_at), payment rows and
 * family history lines, in three statements instead of five per invoice. The caller holds the
 * invoices' rows (SELECT … FOR UPDATE, or SQLite's write lock) and passes one payment per
 * invoice (the update takes 200 at a time).
 */
export async function applyPayments(trx: TransactionClientContract, payments: BulkPayment[]) {
  if (!payments.length) return
  if (new Set(payments.map((payment) => payment.invoice.id)).size !== payments.length) throw new Error('applyPayments: one payment per invoice')
  const now = dbTimeOf(trx)
  const settled = 'invoices.total_cents - invoices.credited_cents - (invoices.paid_cents + v.amount) <= 0'
  for (const slice of chunks(payments, AMOUNTS_PER_STATEMENT)) {
    const amounts = amountsTable(
      trx,
      slice.map((payment) => ({ id: payment.invoice.id, amountCents: payment.amountCents }))
    )
    await trx.rawQuery(
      `UPDATE invoices SET paid_cents = invoices.paid_cents + v.amount, ` +
        `status = CASE WHEN ${settled} THEN 'paid' ELSE 'open' END, ` +
        `paid_at = CASE WHEN ${settled} THEN ? ELSE invoices.paid_at END ` +
        `FROM ${amounts.sql} WHERE invoices.id = v.id`,
      [now, ...amounts.bindings]
    )
  }
  await insertMany(
    trx,
    'payments',
    payments.map((payment) => ({
      invoice_id: payment.invoice.id,
      family_id: payment.invoice.familyId,
      method: payment.method,
      amount_cents: payment.amountCents,
      id_op: null,
      receipt_number: payment.receiptNumber,
      paid_on: payment.paidOn,
      recorded_by: null,
      created_at: now,
    }))
  )
  await historyService.recordMany(
    payments.map((payment) => ({
      familyId: payment.invoice.familyId,
      line: {
        module: 'billing',
        kind: 'payment',
        text: `Paiement de ${formatMoney(payment.amountCents)} reçu pour la facture n° ${payment.invoice.number}${payment.invoice.balanceCents - payment.amountCents <= 0 ? ' : facture payée' : ''}`,
        link: router.makeUrl('billing.invoices.show', {
          id: payment.invoice.id,
        }),
      },
    })),
    trx
  )
}

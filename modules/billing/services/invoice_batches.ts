import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { retryWhenBusy, yieldWriteLock } from '#core/database_guard'
import { isUniqueViolation } from '#core/sql_results'
import { writeInvoices, type PendingInvoice, type RunDates, type WrittenInvoice } from '#modules/billing/services/invoice_writer'
import type { InvoiceIssued } from '#modules/billing/events'

const BATCH_SIZE = 100

/** What a batch tells the run's summary. */
export interface BatchTally {
  created: number
  alreadyIssued: number
  totalCents: number
  invoiceIds: number[]
}

/**
 * Invoices are written by batches, each in one transaction with its block of numbers; when
 * another run got there first (unique family × month), the batch rolls back (numbers
 * included) and its families are taken one by one. Each invoice written is announced.
 */
export class InvoiceBatches {
  #pending: PendingInvoice[] = []

  constructor(
    private readonly dates: RunDates,
    private readonly tally: BatchTally
  ) {}

  async add(invoice: PendingInvoice) {
    this.#pending.push(invoice)
    if (this.#pending.length >= BATCH_SIZE) await this.flush()
  }

  async flush() {
    if (!this.#pending.length) return
    const batch = this.#pending.splice(0, this.#pending.length)
    let written: WrittenInvoice[] = []
    const started = Date.now()
    const write = (items: PendingInvoice[]) => retryWhenBusy(() => db.transaction((trx) => writeInvoices(trx, items, this.dates)))
    try {
      written = await write(batch)
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      for (const item of batch) {
        try {
          written.push(...(await write([item])))
        } catch (single) {
          if (!isUniqueViolation(single)) throw single
          this.tally.alreadyIssued++
        }
      }
    }
    await yieldWriteLock(db.connection().dialect.name, Date.now() - started)
    const { month, dueDate } = this.dates
    const issued: InvoiceIssued[] = []
    for (const { item, id, number, debitOn } of written) {
      this.tally.created++
      this.tally.totalCents += item.totalCents
      this.tally.invoiceIds.push(id)
      issued.push({ familyId: item.familyId, invoiceId: id, invoiceNumber: number, totalCents: item.totalCents, dueDate, month, directDebitOn: debitOn })
    }
    // One event a batch: messaging writes the batch's notices together (20,000 invoices were 20,000 notices' transactions).
    if (issued.length) await emitter.emit('billing:invoices-issued', { invoices: issued })
  }
}

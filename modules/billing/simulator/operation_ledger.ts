import { randomBytes } from 'node:crypto'
import type { CreatePaymentFields, ResultCode } from '#modules/billing/services/payment/payfip_soap'

export interface SimulatedOperation {
  idOp: string
  fields: CreatePaymentFields
  createdAt: number
  result: ResultCode | null
  decidedAt: number | null
  numauto: string
  notifications: number
}

export interface LedgerSettings {
  /** Send the notification to urlnotif. */
  notify: boolean
  /** Lifetime of an idOp in ms. */
  lifetimeMs: number
  log?: (line: string) => void
}

/**
 * The simulator's payment operations, in memory: created by the SOAP call, decided once on the
 * payment page (or by a test), then announced to the portal by the unsigned notification.
 */
export class OperationLedger {
  readonly operations = new Map<string, SimulatedOperation>()

  /** `settings` is read at each call: whoever holds it may change it while the simulator runs. */
  constructor(readonly settings: LedgerSettings) {}

  log(line: string) {
    this.settings.log?.(line)
  }

  expired(operation: SimulatedOperation) {
    return Date.now() - operation.createdAt > this.settings.lifetimeMs
  }

  /** A debt is paid once: a card or debit accepted for the same reference and client. */
  paidAlready(fields: CreatePaymentFields) {
    return [...this.operations.values()].some(
      (item) => item.fields.refdet === fields.refdet && item.fields.numcli === fields.numcli && (item.result === 'P' || item.result === 'V')
    )
  }

  create(fields: CreatePaymentFields): SimulatedOperation {
    const idOp = randomBytes(16).toString('hex')
    const operation: SimulatedOperation = {
      idOp,
      fields,
      createdAt: Date.now(),
      result: null,
      decidedAt: null,
      numauto: String(100000 + Math.floor(Math.random() * 900000)),
      notifications: 0,
    }
    this.operations.set(idOp, operation)
    return operation
  }

  /** Decides an operation (the first decision stands) and returns where the browser goes back. */
  async decide(idOp: string, result: ResultCode): Promise<{ redirect: string }> {
    const operation = this.operations.get(idOp)
    if (!operation) throw new Error('Opération inconnue')
    if (!operation.result) {
      operation.result = result
      operation.decidedAt = Date.now()
      this.log(`${idOp} → ${result}`)
      await this.#notify(operation)
    }
    return { redirect: returnUrl(operation) }
  }

  async #notify(operation: SimulatedOperation) {
    if (!this.settings.notify) return
    operation.notifications++
    try {
      await fetch(operation.fields.urlnotif, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ idOp: operation.idOp }).toString(),
        signal: AbortSignal.timeout(10_000),
      })
    } catch (error) {
      this.log(`notification ${operation.idOp} non remise : ${(error as Error).message}`)
    }
  }
}

/** The portal's return address for an operation (urlredirect with its idop). */
export function returnUrl(operation: SimulatedOperation): string {
  const back = new URL(operation.fields.urlredirect)
  back.searchParams.set('idop', operation.idOp)
  return back.toString()
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import payfipConfig from '#modules/billing/config/payfip'
import Invoice from '#modules/billing/models/invoice'
import PaymentOperation, { type OperationState } from '#modules/billing/models/payment_operation'
import PayfipDriver from '#modules/billing/services/payment/payfip_driver'
import type { OperationDetail, PaymentDriver } from '#modules/billing/services/payment/payment_driver'
import invoiceService from '#modules/billing/services/invoice_service'
import { BillingError } from '#modules/billing/services/billing_error'
import { monthLabel } from '#modules/billing/services/billing_month'
import { affectedRows, isUniqueViolation } from '#core/sql_results'
import overpaymentService from '#modules/billing/services/payment/overpayment_service'
import { historyService } from '#modules/dossier/index'
import { formatMoney } from '#core/format'
import audit from '#services/audit_service'
import router from '@adonisjs/core/services/router'
import { notPayableOnline, plannedDebit } from '#modules/billing/services/sepa/invoice_debit'

/** "2026-000042" → "F2026000042": PayFiP's refdet is 1–30 letters and digits. */
export function refdetFor(invoiceNumber: string) {
  return `F${invoiceNumber.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 30)
}

function sqlTime(value: DateTime) {
  return value.toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

/** How long a second click waits for the first one's idOp (PayFiP answers within its 15 s timeout). */
const CREATION_WAIT_MS = 20_000

export type SettleOutcome = 'paid' | 'already-settled' | 'refused' | 'abandoned' | 'pending' | 'expired' | 'unknown'

class PaymentService {
  #driver: PaymentDriver | null = null

  /** The configured driver (PayFiP, pointing to the simulator by default); replaceable in tests. */
  get driver(): PaymentDriver {
    return this.#driver ?? new PayfipDriver({ url: payfipConfig.url, numcli: payfipConfig.numcli, mode: payfipConfig.mode })
  }

  useDriver(driver: PaymentDriver | null) {
    this.#driver = driver
  }

  /**
   * Opens a PayFiP operation for what is left on the invoice and returns the payment page's
   * address. One live operation per invoice (a partial unique index): a second click, even at
   * the same instant, is sent to the same page; an operation that can no longer be used
   * (about to expire, another amount, creation lost) is re-read from PayFiP and closed first.
   */
  async start(invoice: Invoice, user: { id: number; email: string | null }, familyEmail: string | null) {
    const email = user.email || familyEmail
    for (let attempt = 0; attempt < 4; attempt++) {
      const fresh = await Invoice.findOrFail(invoice.id)
      const amount = fresh.balanceCents
      if (fresh.status === 'paid' || amount <= 0) throw new BillingError('Cette facture est déjà payée.')
      // Paid by direct debit: a PayFiP payment as well would take the money twice.
      const debit = await plannedDebit(fresh)
      if (debit) throw new BillingError(notPayableOnline(debit))
      if (amount < payfipConfig.minAmountCents) throw new BillingError(`Le paiement en ligne commence à ${formatMoney(payfipConfig.minAmountCents)} : réglez ce montant au guichet.`)
      if (amount > payfipConfig.maxAmountCents) throw new BillingError('Ce montant dépasse le plafond du paiement en ligne : réglez-le au guichet.')
      if (!email) throw new BillingError('Une adresse électronique est nécessaire pour payer en ligne : complétez votre dossier.')

      const live = await this.liveOperation(fresh.id)
      if (live) {
        const usable = live.idOp && live.amountCents === amount && live.expiresAt > DateTime.utc().plus({ minutes: 2 })
        if (usable) return { operation: live, paymentUrl: this.driver.paymentPageUrl(live.idOp!) }
        await this.retire(live)
        continue
      }
      let operation: PaymentOperation
      try {
        operation = await PaymentOperation.create({
          invoiceId: fresh.id,
          familyId: fresh.familyId,
          userId: user.id,
          provider: this.driver.name,
          refdet: refdetFor(fresh.number),
          amountCents: amount,
          state: 'pending',
          expiresAt: DateTime.utc().plus({ minutes: payfipConfig.operationLifetimeMinutes }),
        })
      } catch (error) {
        if (isUniqueViolation(error)) continue
        throw error
      }
      try {
        const created = await this.driver.create({
          year: fresh.year,
          email,
          amountCents: amount,
          object: `Facture ${fresh.number} ${monthLabel(fresh.month)}`,
          reference: operation.refdet,
          notifyUrl: `${payfipConfig.publicUrl}${router.makeUrl('billing.payfip.notify')}`,
          returnUrl: `${payfipConfig.publicUrl}${router.makeUrl('billing.payfip.return')}`,
        })
        operation.idOp = created.idOp
        await operation.save()
        return { operation, paymentUrl: created.paymentUrl }
      } catch (error) {
        operation.state = 'expired'
        operation.settledAt = DateTime.utc()
        await operation.save()
        throw error
      }
    }
    throw new BillingError('Un paiement en ligne est déjà en cours de préparation pour cette facture : réessayez dans un instant.')
  }

  /**
   * The invoice's pending operation; while another request is still asking PayFiP for its
   * idOp (a double click), waits for it rather than opening a second one.
   */
  private async liveOperation(invoiceId: number) {
    const deadline = Date.now() + CREATION_WAIT_MS
    for (;;) {
      const live = await PaymentOperation.query().where('invoice_id', invoiceId).where('state', 'pending').first()
      if (!live || live.idOp) return live
      if (live.createdAt < DateTime.utc().minus({ milliseconds: CREATION_WAIT_MS }) || Date.now() > deadline) return live
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  /** Closes a live operation that cannot be reused, after reading its result at PayFiP (it may have been paid). */
  private async retire(operation: PaymentOperation) {
    if (operation.idOp) {
      const { outcome } = await this.settle(operation.idOp)
      if (outcome !== 'pending') return
    }
    await this.close(operation.id, 'expired', null)
  }

  /**
   * PayFiP's notification (or the parent's return, or the reconciliation job): the message is
   * not signed, so the result is read again from PayFiP and settled once, whatever the number
   * of concurrent calls (conditional UPDATE on the operation + unique idOp on payments).
   */
  async settle(idOp: string): Promise<{ outcome: SettleOutcome; operation: PaymentOperation | null }> {
    const operation = await PaymentOperation.findBy('id_op', idOp)
    if (!operation) return { outcome: 'unknown', operation: null }
    if (operation.state !== 'pending' && operation.state !== 'expired') {
      return { outcome: operation.state === 'paid' ? 'already-settled' : operation.state, operation }
    }
    // An expired operation is read again too: PayFiP may confirm a payment made at the last minute.
    const detail = await this.driver.detail(idOp)
    return { outcome: await this.apply(operation, detail), operation: await PaymentOperation.findOrFail(operation.id) }
  }

  private async apply(operation: PaymentOperation, detail: OperationDetail): Promise<SettleOutcome> {
    if (operation.state === 'expired' && detail.outcome !== 'paid') return 'expired'
    if (detail.outcome === 'pending') {
      if (operation.expiresAt < DateTime.utc().minus({ minutes: 5 })) {
        await this.close(operation.id, 'expired', null)
        return 'expired'
      }
      return 'pending'
    }
    if (detail.outcome === 'refused' || detail.outcome === 'abandoned') {
      const state: OperationState = detail.outcome
      const closed = await this.close(operation.id, state, detail.code)
      if (closed) {
        await audit.record({ action: `billing.payfip.${state}`, subjectType: 'invoice', subjectId: operation.invoiceId, details: { idOp: detail.idOp, code: detail.code } })
      }
      return state
    }

    const amount = detail.amountCents ?? operation.amountCents
    const method = detail.method ?? 'card'
    const event = await db.transaction(async (trx) => {
      const now = DateTime.utc().toFormat(trx.dialect.dateTimeFormat)
      const changed = await trx
        .from('payment_operations')
        .where('id', operation.id)
        .whereIn('state', ['pending', 'expired'])
        .update({ state: 'paid', result_code: detail.code, authorization_number: detail.authorizationNumber, settled_at: now })
      if (affectedRows(changed) !== 1) return null
      // Holds the invoice row until commit: two payments of one invoice are split one after the other.
      await trx.from('invoices').where('id', operation.invoiceId).update({ paid_cents: trx.knexRawQuery('paid_cents') })
      const invoice = await Invoice.query({ client: trx }).where('id', operation.invoiceId).firstOrFail()
      const counted = Math.min(amount, invoice.balanceCents)
      const received = counted > 0 ? await invoiceService.applyPayment(trx, invoice, { method, amountCents: counted, idOp: detail.idOp, recordedBy: null }, { withinBalance: true }) : null
      if (counted > 0 && !received) throw new Error(`Paiement ${detail.idOp} : le reste à payer a changé pendant l’enregistrement`)
      if (amount > counted) await overpaymentService.record(trx, invoice, { method, amountCents: amount - counted, idOp: detail.idOp })
      await audit.record(
        {
          action: 'billing.payfip.paid',
          subjectType: 'invoice',
          subjectId: invoice.id,
          details: { idOp: detail.idOp, code: detail.code, amountCents: amount, countedCents: counted, numauto: detail.authorizationNumber },
        },
        trx
      )
      return { received }
    })
    if (!event) return 'already-settled'
    if (event.received) await emitter.emit('billing:payment-received', event.received)
    return 'paid'
  }

  private async close(operationId: number, state: OperationState, code: string | null) {
    const changed = await db
      .from('payment_operations')
      .where('id', operationId)
      .where('state', 'pending')
      .update({ state, result_code: code, settled_at: sqlTime(DateTime.utc()) })
    const closed = affectedRows(changed) === 1
    if (closed && state !== 'expired') {
      const operation = await PaymentOperation.findOrFail(operationId)
      const invoice = await Invoice.findOrFail(operation.invoiceId)
      await historyService.record(operation.familyId, {
        module: 'billing',
        kind: `payment-${state}`,
        text: `Paiement en ligne ${state === 'refused' ? 'refusé' : 'abandonné'} pour la facture n° ${invoice.number} : la facture reste à payer`,
        link: router.makeUrl('billing.invoices.show', { id: invoice.id }),
      })
    }
    return closed
  }

  /**
   * Pending operations opened `olderThanMinutes` ago, and those closed as expired in the last
   * day (PayFiP may still confirm a payment made on their page at the last minute).
   */
  toReconcile(olderThanMinutes = 2) {
    const before = sqlTime(DateTime.utc().minus({ minutes: olderThanMinutes }))
    const dayAgo = sqlTime(DateTime.utc().minus({ days: 1 }))
    return PaymentOperation.query()
      .whereNotNull('id_op')
      .where((query) => {
        query.where((pending) => pending.where('state', 'pending').where('created_at', '<=', before))
        query.orWhere((expired) => expired.where('state', 'expired').where('settled_at', '>=', dayAgo))
      })
  }

  /**
   * Settles the operations whose notification never came: every pending operation opened
   * more than `olderThanMinutes` ago is read again from PayFiP.
   */
  async reconcile(olderThanMinutes = 2, onProgress?: () => void) {
    const pending = await this.toReconcile(olderThanMinutes).orderBy('id')
    const counts: Record<SettleOutcome | 'errors', number> = { paid: 0, 'already-settled': 0, refused: 0, abandoned: 0, pending: 0, expired: 0, unknown: 0, errors: 0 }
    for (const operation of pending) {
      try {
        const { outcome } = await this.settle(operation.idOp!)
        counts[outcome]++
      } catch {
        counts.errors++
      }
      onProgress?.()
    }
    return { checked: pending.length, counts }
  }
}

const paymentService = new PaymentService()
export default paymentService

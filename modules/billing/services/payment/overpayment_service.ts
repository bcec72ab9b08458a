import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Overpayment from '#modules/billing/models/overpayment'
import type { PaymentMethod } from '#modules/billing/models/money_on_invoice'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { affectedRows } from '#core/sql_results'
import { todayInParis } from '#modules/billing/services/tariff_service'
import { historyService } from '#modules/dossier/index'
import { formatMoney } from '#core/format'
import audit from '#services/audit_service'
import router from '@adonisjs/core/services/router'

/** Overpayments: recorded inside the settling transaction, refunded by the staff. */
class OverpaymentService {
  async record(
    trx: TransactionClientContract,
    invoice: { id: number; familyId: number; number: string },
    received: { method: PaymentMethod; amountCents: number; idOp: string | null }
  ) {
    await trx.table('overpayments').insert({
      invoice_id: invoice.id,
      family_id: invoice.familyId,
      method: received.method,
      amount_cents: received.amountCents,
      id_op: received.idOp,
      received_on: todayInParis(),
      created_at: DateTime.utc().toFormat(trx.dialect.dateTimeFormat),
    })
    await historyService.record(
      invoice.familyId,
      {
        module: 'billing',
        kind: 'overpayment',
        text: `Trop-perçu de ${formatMoney(received.amountCents)} sur la facture n° ${invoice.number} (déjà réglée) : il vous sera remboursé`,
        link: router.makeUrl('billing.invoices.show', { id: invoice.id }),
      },
      trx
    )
    await audit.record(
      { action: 'billing.overpayment.recorded', subjectType: 'invoice', subjectId: invoice.id, details: { ...received } },
      trx
    )
  }

  async forInvoice(invoiceId: number) {
    return Overpayment.query().where('invoice_id', invoiceId).orderBy('id')
  }

  /** The refunds still to make, oldest first, with their count and sum. */
  async toRefund(limit = 50) {
    const [rows, totals] = await Promise.all([
      db
        .from('overpayments')
        .join('invoices', 'invoices.id', 'overpayments.invoice_id')
        .whereNull('overpayments.refunded_at')
        .orderBy('overpayments.id')
        .limit(limit)
        .select('overpayments.id', 'overpayments.amount_cents', 'overpayments.received_on', 'overpayments.invoice_id', 'invoices.number', 'invoices.family_name'),
      db.from('overpayments').whereNull('refunded_at').select(db.raw('count(*) as count'), db.raw('coalesce(sum(amount_cents), 0) as total')).first(),
    ])
    return { rows, count: Number(totals?.count ?? 0), totalCents: Number(totals?.total ?? 0) }
  }

  /** Marks an overpayment refunded once (a second click changes nothing and says so). */
  async markRefunded(overpaymentId: number, reference: string | null, actor: Actor) {
    return db.transaction(async (trx) => {
      const overpayment = await Overpayment.query({ client: trx }).where('id', overpaymentId).firstOrFail()
      const changed = await trx
        .from('overpayments')
        .where('id', overpaymentId)
        .whereNull('refunded_at')
        .update({ refunded_at: DateTime.utc().toFormat(trx.dialect.dateTimeFormat), refunded_by: actor.id, refund_reference: reference })
      if (affectedRows(changed) !== 1) throw new BillingError('Ce trop-perçu est déjà marqué remboursé.')
      const invoice = await trx.from('invoices').where('id', overpayment.invoiceId).select('number').firstOrFail()
      await historyService.record(
        overpayment.familyId,
        {
          module: 'billing',
          kind: 'overpayment-refunded',
          text: `Trop-perçu de ${formatMoney(overpayment.amountCents)} sur la facture n° ${invoice.number} remboursé`,
          link: router.makeUrl('billing.invoices.show', { id: overpayment.invoiceId }),
        },
        trx
      )
      await audit.record(
        {
          actor,
          action: 'billing.overpayment.refunded',
          subjectType: 'invoice',
          subjectId: overpayment.invoiceId,
          details: { overpaymentId, amountCents: overpayment.amountCents, idOp: overpayment.idOp, reference },
        },
        trx
      )
      return overpayment
    })
  }
}

const overpaymentService = new OverpaymentService()
export default overpaymentService

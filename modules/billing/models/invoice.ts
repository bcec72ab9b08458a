import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { WithCreatedAt } from '#core/model_mixins'
import { formatEuros } from '#core/french'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment from '#modules/billing/models/payment'
import { dateTimeColumn } from '#core/datetime_column'
import { parisDayOf } from '#core/calendar_day'

export type InvoiceState = 'to_pay' | 'paid' | 'late' | 'cancelled'

export const STATE_LABELS: Record<InvoiceState, string> = {
  to_pay: 'à payer',
  paid: 'payée',
  late: 'en retard',
  cancelled: 'annulée par avoir',
}

/** A family's invoice for one month; never edited once issued (corrections are credit notes). */
export default class Invoice extends compose(BaseModel, WithCreatedAt) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare familyId: number

  /** AAAA-MM */
  @column()
  declare month: string

  /** "2026-000042": year and a sequence without gaps. */
  @column()
  declare number: string

  @column()
  declare year: number

  @column()
  declare sequence: number

  @column()
  declare issuedOn: string

  @column()
  declare dueDate: string

  @column()
  declare totalCents: number

  @column()
  declare creditedCents: number

  @column()
  declare paidCents: number

  /** 'open' until the balance is settled, then 'paid'. */
  @column()
  declare status: 'open' | 'paid'

  @column()
  declare familyQuotient: number | null

  @column()
  declare familyName: string

  @column()
  declare familyAddress: string | null

  @dateTimeColumn()
  declare paidAt: DateTime | null

  /** The SEPA mandate the invoice is debited under (its family had one when it was issued). */
  @column()
  declare debitMandateId: number | null

  /** ISO day of the debit announced to the family (pre-notification). */
  @column()
  declare debitOn: string | null

  @hasMany(() => InvoiceLine)
  declare lines: HasMany<typeof InvoiceLine>

  @hasMany(() => CreditNote)
  declare creditNotes: HasMany<typeof CreditNote>

  @hasMany(() => Payment)
  declare payments: HasMany<typeof Payment>

  /** What is left to pay: total, less credit notes, less payments (never below 0). */
  get balanceCents(): number {
    return Math.max(0, this.totalCents - this.creditedCents - this.paidCents)
  }

  get dueCents(): number {
    return this.totalCents - this.creditedCents
  }

  stateOn(day: string = parisDayOf()): InvoiceState {
    if (this.dueCents === 0 && this.paidCents === 0 && this.totalCents > 0) return 'cancelled'
    if (this.status === 'paid' || this.balanceCents === 0) return 'paid'
    return day > this.dueDate ? 'late' : 'to_pay'
  }

  get state(): InvoiceState {
    return this.stateOn()
  }

  get stateLabel(): string {
    return STATE_LABELS[this.state]
  }

  get monthLabel(): string {
    return DateTime.fromISO(`${this.month}-01`).setLocale('fr').toFormat('LLLL yyyy')
  }

  /** The family quotient the tariffs used, in words: the same on the PDF and the pages. */
  get quotientLabel(): string {
    return this.familyQuotient === null ? 'non connu (tarif le plus haut)' : formatEuros(this.familyQuotient)
  }
}

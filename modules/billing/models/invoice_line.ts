import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { TariffUnit } from '#modules/billing/services/tariff_engine'

export type LineKind = 'booking' | 'late' | 'registration'

/** One line of an invoice: child, activity and unit, quantity × unit price (stored, never recomputed). */
export default class InvoiceLine extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare invoiceId: number

  @column()
  declare position: number

  @column()
  declare kind: LineKind

  @column()
  declare childId: number | null

  @column()
  declare childName: string | null

  @column()
  declare activityId: number | null

  @column()
  declare activityName: string | null

  @column()
  declare label: string

  @column()
  declare unit: TariffUnit | null

  @column()
  declare quantity: number

  @column()
  declare unitPriceCents: number

  @column()
  declare totalCents: number
}

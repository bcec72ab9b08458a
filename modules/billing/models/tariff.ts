import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import type { Bracket, Regime, TariffModel, TariffRule, TariffUnit } from '#modules/billing/services/tariff_engine'

function json<T>(fallback: T) {
  return {
    prepare: (value: T | null) => (value === null || value === undefined ? null : JSON.stringify(value)),
    consume: (value: unknown): T => {
      if (value === null || value === undefined || value === '') return fallback
      if (typeof value !== 'string') return value as T
      try {
        return JSON.parse(value) as T
      } catch {
        return fallback
      }
    },
  }
}

/**
 * The tariff of an activity from a day on (valid_from). A new period is a new row: invoices
 * already issued keep the unit price they were issued with.
 */
export default class Tariff extends compose(BaseModel, WithCreatedAt) {
  static table = 'billing_tariffs'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityId: number

  /** ISO day from which the tariff applies. */
  @column()
  declare validFrom: string

  @column()
  declare model: TariffModel

  @column()
  declare unit: TariffUnit

  @column(json<Bracket[]>([]))
  declare brackets: Bracket[]

  /** Ten-thousandths of a percent (0.36 % = 3600). */
  @column()
  declare rate: number | null

  @column()
  declare floorCents: number | null

  @column()
  declare ceilingCents: number | null

  @column()
  declare nonResidentCents: number | null

  @column()
  declare lateSurchargeCents: number | null

  @column(json<Record<string, number>>({}))
  declare siblingReductions: Record<string, number>

  @column(json<Partial<Record<Regime, number>>>({}))
  declare regimeAdjustments: Partial<Record<Regime, number>>

  @column()
  declare createdBy: number | null

  get rule(): TariffRule {
    return {
      model: this.model,
      unit: this.unit,
      brackets: this.brackets,
      rate: this.rate ?? undefined,
      floorCents: this.floorCents,
      ceilingCents: this.ceilingCents,
      nonResidentCents: this.nonResidentCents,
      lateSurchargeCents: this.lateSurchargeCents,
      siblingReductions: this.siblingReductions,
      regimeAdjustments: this.regimeAdjustments,
    }
  }
}

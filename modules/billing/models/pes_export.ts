import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { unpackXmlSync } from '#modules/billing/services/stored_xml'

/** One PES V2 file sent to the Trésor public: its bordereaux, totals and the XML itself (downloaded again as it was). */
export default class PesExport extends compose(BaseModel, WithCreatedAt) {
  @column({ isPrimary: true })
  declare id: number

  /** AAAA-MM: the month whose invoices it carries. */
  @column()
  declare month: string

  @column()
  declare exercise: number

  /** IdBord of the ordinary bordereau (titles), null when the file carries reductions only. */
  @column()
  declare bordereauNumber: number | null

  /** IdBord of the cancellation/reduction bordereau (credit notes), when there is one. */
  @column()
  declare reductionBordereauNumber: number | null

  @column()
  declare fileName: string

  @column()
  declare titleCount: number

  @column()
  declare titlesCents: number

  @column()
  declare reductionCount: number

  @column()
  declare reductionsCents: number

  /** The file's text; its row keeps it packed (services/stored_xml.ts), read back as text. */
  @column({ serializeAs: null, consume: unpackXmlSync })
  declare xml: string

  @column()
  declare createdBy: number | null
}

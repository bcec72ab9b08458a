import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { WithCreatedAt } from '#core/model_mixins'
import { unpackXml } from '#modules/billing/services/stored_xml'

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

  /** The file as its row keeps it, packed (services/stored_xml.ts): its text is text()'s. */
  @column({ columnName: 'xml', serializeAs: null })
  declare storedXml: string

  @column()
  declare createdBy: number | null

  /** The text the model was written from, when it was (not read again). */
  declare private writtenText?: string

  /** The file's text, unpacked on libuv's threads: 35 MB at 20,000 families, off the event loop. */
  async text(): Promise<string> {
    return this.writtenText ?? unpackXml(this.storedXml)
  }

  /** Keeps the text this just-written model was packed from, so text() does not unpack it again. */
  writtenFrom(text: string): this {
    this.writtenText = text
    return this
  }
}

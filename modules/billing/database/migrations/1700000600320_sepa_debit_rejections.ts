import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A debit the bank rejected (issue 17: pain.002 status report). The line keeps what was sent and
 * says why it came back: the ISO reason code, the day of the bank's report and the report's
 * MsgId. The import sets them only where they are still empty (a conditional update), so a file
 * imported twice, or by two imports at the same instant, is applied once.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('sepa_debit_lines', (table) => {
      table.string('rejection_code', 4).nullable()
      table.string('rejected_on', 10).nullable()
      table.string('rejection_report_id', 35).nullable()
      table.timestamp('rejected_at', { useTz: true }).nullable()
      table.index(['rejection_report_id'])
    })
  }

  async down() {
    this.schema.alterTable('sepa_debit_lines', (table) => {
      table.dropIndex(['rejection_report_id'])
      table.dropColumn('rejection_code')
      table.dropColumn('rejected_on')
      table.dropColumn('rejection_report_id')
      table.dropColumn('rejected_at')
    })
  }
}

/*
 * A month of invoices under direct debit at commune scale, written by direct inserts (no PDF
 * signing, no planning): N families, each with a guardian, an active SEPA mandate (IBAN sealed
 * as mandateService.sign stores it) and one invoice of the month under debit with its line.
 * Shared by the bench (bench/sepa_month_worker.ts, 20,000 families) and the functional test
 * past the databases' parameter limits (tests/functional/sepa_scale.spec.ts).
 */
import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { insertMany } from '#core/bulk_insert'
import { maskIban } from '#modules/billing/services/sepa/iban'
import mandateService from '#modules/billing/services/sepa/mandate_service'

/** A valid French IBAN for each family (mod-97 check digits computed). */
export function ibanOf(index: number) {
  const bban = `30006000${String(index).padStart(11, '0')}89`
  const digits = `${bban}152700`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55))
  let rest = 0
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97
  return `FR${String(98 - rest).padStart(2, '0')}${bban}`
}

export async function seedDebitMonth(client: QueryClientContract, options: { families: number; month: string; debitOn: string; prefix: string }) {
  const { families, month, debitOn, prefix } = options
  const now = DateTime.utc().toFormat(client.dialect.dateTimeFormat)
  const year = Number(month.slice(0, 4))
  const sequenceBase = Number((await client.from('invoices').where('year', year).max('sequence as top').first())?.top ?? 0)
  for (let offset = 0; offset < families; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, families - offset) }, (_, index) => offset + index)
    const familyRows = await insertMany(
      client,
      'families',
      batch.map((index) => ({
        reference: `${prefix}-${month}-${index}`,
        family_quotient: (index * 37) % 2200,
        regime: 'CAF',
        resident: true,
        address: `${(index % 90) + 1} rue des Bancs`,
        postal_code: '06670',
        city: 'Colomars',
        created_at: now,
      })),
      ['id']
    )
    const familyIds = familyRows.map((row) => Number(row.id))
    await insertMany(
      client,
      'guardians',
      familyIds.map((familyId, at) => ({ family_id: familyId, civility: 'Mme', last_name: `${prefix}${offset + at}`, first_name: 'Camille', position: 1, created_at: now }))
    )
    const mandateRows = await insertMany(
      client,
      'sepa_mandates',
      familyIds.map((familyId, at) => {
        const iban = ibanOf(offset + at)
        return {
          family_id: familyId,
          rum: `${prefix}-${month}-${offset + at}`,
          holder_name: `Camille ${prefix}${offset + at}`,
          iban_encrypted: mandateService.sealIban(iban),
          iban_masked: maskIban(iban),
          // Some debtors without a BIC (NOTPROVIDED), a third already past their first debit.
          bic: (offset + at) % 7 === 0 ? null : 'BNPAFRPP',
          signed_at: now,
          sequence: (offset + at) % 3 === 0 ? 'RCUR' : 'FRST',
          status: 'active',
          created_at: now,
        }
      }),
      ['id']
    )
    const invoiceRows = await insertMany(
      client,
      'invoices',
      familyIds.map((familyId, at) => {
        const index = offset + at
        return {
          family_id: familyId,
          month,
          number: `${prefix.slice(0, 1)}${year}-${String(sequenceBase + index + 1).padStart(6, '0')}`,
          year,
          sequence: sequenceBase + index + 1,
          issued_on: DateTime.now().setZone('Europe/Paris').toISODate()!,
          due_date: debitOn,
          total_cents: 1000 + (index % 50) * 35,
          status: 'open',
          family_name: `Famille ${prefix}${index}`,
          debit_mandate_id: Number(mandateRows[at].id),
          debit_on: debitOn,
          created_at: now,
        }
      }),
      ['id', 'total_cents']
    )
    await insertMany(
      client,
      'invoice_lines',
      invoiceRows.map((row) => ({
        invoice_id: Number(row.id),
        position: 1,
        kind: 'booking',
        label: 'Restauration scolaire (banc)',
        unit: 'meal',
        quantity: 1,
        unit_price_cents: Number(row.total_cents),
        total_cents: Number(row.total_cents),
      }))
    )
  }
}

import communeSettings from '#services/commune_settings'
import { creditorIdError } from '#modules/billing/services/sepa/iban'

/**
 * SEPA direct debit settings. The creditor identifier (ICS) is read from the environment
 * (`SEPA_CREDITOR_ID`, checked at boot by start/env.ts); without it the commune offers no
 * direct debit. The creditor's name and address are the commune's (portal:setup): its name and
 * the address of its first contact.
 */
export interface SepaCreditor {
  id: string
  name: string
  address: string | null
}

export function creditorId(): string | null {
  const value = process.env.SEPA_CREDITOR_ID?.replace(/\s+/g, '').toUpperCase()
  return value && !creditorIdError(value) ? value : null
}

/** The creditor printed on the mandate, or null when direct debit is not offered. */
export async function sepaCreditor(): Promise<SepaCreditor | null> {
  const id = creditorId()
  if (!id) return null
  const settings = await communeSettings.get()
  const address = settings.contacts.find((contact) => contact.address)?.address ?? null
  return { id, name: settings.name, address }
}

/** The commune's account the debits are paid into (the Trésor's), needed for the debit file. */
export interface CreditorAccount {
  iban: string
  bic: string | null
}

export function creditorAccount(): CreditorAccount | null {
  const iban = process.env.SEPA_CREDITOR_IBAN?.replace(/\s+/g, '').toUpperCase()
  if (!iban) return null
  const bic = process.env.SEPA_CREDITOR_BIC?.replace(/\s+/g, '').toUpperCase()
  return { iban, bic: bic || null }
}

/** The day of the month invoices are debited (SEPA_DEBIT_DAY, 1 to 28, checked at boot; 10 by default). */
export function debitDay(): number {
  const day = Number(process.env.SEPA_DEBIT_DAY?.trim() || 10)
  return Number.isInteger(day) && day >= 1 && day <= 28 ? day : 10
}

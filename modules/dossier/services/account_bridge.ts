import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { modulePath } from '#core/module_catalog'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#modules/accounts/models/user'

interface AccountService {
  createPendingAccount(input: { username?: string; email: string; fullName: string; role: string }, client?: TransactionClientContract): Promise<User>
  issueActivationLink?(user: User): Promise<unknown>
  sendActivation?(user: User): Promise<unknown>
}

let cached: AccountService | null | undefined
let baseOf: ((fullName: string) => string) | null = null

/** The accounts module's service when it is present (it creates accounts its own way). */
async function accountService(): Promise<AccountService | null> {
  if (cached !== undefined) return cached
  cached = null
  for (const extension of ['.js', '.ts']) {
    const file = modulePath('accounts', 'services', 'account_service' + extension)
    if (existsSync(file)) {
      const imported = await import(pathToFileURL(file).href)
      const service = imported.default ?? imported.accountService ?? imported
      if (typeof service?.createPendingAccount === 'function') cached = service as AccountService
      if (typeof imported.usernameBase === 'function') baseOf = imported.usernameBase
      break
    }
  }
  return cached
}

export interface PendingAccountResult {
  user: User
  created: boolean
}

/**
 * A parent account for a guardian with an email: an existing parent account with that email
 * is reused; otherwise a pending one (no password; the accounts module activates it by link).
 * Returns null when the email belongs to an agent (never linked to a family).
 * Inside a transaction, pass it: every query then runs on it (SQLite has one connection).
 */
export async function ensureParentAccount(email: string, fullName: string, client?: TransactionClientContract): Promise<PendingAccountResult | null> {
  const normalized = email.trim().toLowerCase()
  const existing = await User.query({ client }).whereRaw('lower(email) = ?', [normalized]).first()
  if (existing) return existing.role === 'parent' ? { user: existing, created: false } : null
  const service = await accountService()
  if (service) {
    // The accounts module's own name ("elodie.martin"), made unique with indexed look-ups: its
    // fallback scans every username with LIKE, which a 10,000-family import cannot afford.
    const username = baseOf ? await freeUsername(baseOf(fullName), client, '') : undefined
    const user = await service.createPendingAccount({ username, email: normalized, fullName, role: 'parent' }, client)
    return { user, created: true }
  }
  const user = await User.create(
    { username: await freeUsername(normalized, client), email: normalized, fullName, role: 'parent', state: 'pending', password: null },
    { client }
  )
  return { user, created: true }
}

async function freeUsername(wanted: string, client?: TransactionClientContract, separator = '-'): Promise<string> {
  const base = wanted.slice(0, 76)
  let candidate = base
  for (let n = 2; await User.query({ client }).where('username', candidate).first(); n++) candidate = `${base}${separator}${n}`
  return candidate
}

/** Mails the activation link when the accounts module offers it; false otherwise. */
export async function sendActivationLink(user: User): Promise<boolean> {
  const service = await accountService()
  if (!service?.sendActivation || user.state !== 'pending' || !user.email) return false
  await service.sendActivation(user)
  return true
}
